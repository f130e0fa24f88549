using Build.Tests.Support;
using LiteLlmStandIn;

namespace Build.Tests.EndToEnd;

/// <summary>Shared pieces of the end-to-end tests: a test CA on disk, a canary key, a stand-in per test.</summary>
public abstract class GatewayFixture
{
    protected TestCertificates Certificates { get; private set; } = null!;

    protected string CaPath { get; private set; } = null!;

    protected string Canary { get; } = $"sk-canary-{Guid.NewGuid():N}";

    /// <summary>The stand-in's master key: never the key the build holds unless a test says so (MasterKey = Canary).</summary>
    protected string MasterKey { get; } = $"sk-master-{Guid.NewGuid():N}";

    [OneTimeSetUp]
    public void CreateAuthority()
    {
        Certificates = TestCertificates.Create();
        CaPath = Path.Combine(Directory.CreateTempSubdirectory("verify-ca-").FullName, "ca.pem");
        Certificates.WriteAuthorityPem(CaPath);
    }

    [OneTimeTearDown]
    public void DisposeAuthority()
    {
        Certificates.Dispose();
        Directory.Delete(Path.GetDirectoryName(CaPath)!, recursive: true);
    }

    /// <summary>
    /// A stand-in with a database, as production runs LiteLLM: the canary is a virtual key scoped to the stand-in's
    /// models, with a budget and 90 days to live, so KeyCheck gives a verdict. A test that sets MasterKey,
    /// VirtualKeys or HasDatabase = false decides the keys itself.
    /// </summary>
    protected Task<StandInServer> StartGatewayAsync(StandInOptions? options = null)
    {
        var given = options ?? new StandInOptions();
        var keys = given.MasterKey is null && given.HasDatabase && given.VirtualKeys.Count == 0
            ? new Dictionary<string, VirtualKey> { [Canary] = ScopedKey(given.Models) }
            : given.VirtualKeys;
        return StandInServer.StartAsync(given with { Certificates = Certificates, MasterKey = given.MasterKey ?? (given.HasDatabase ? MasterKey : Canary), VirtualKeys = keys });
    }

    /// <summary>What the README's /key/generate call creates: scoped, budgeted, expiring well after any warning.</summary>
    protected static VirtualKey ScopedKey(IReadOnlyList<string> models) =>
        new("ci-smoke", DateTimeOffset.UtcNow.AddDays(90), Spend: 0, MaxBudget: 5, Models: models, RpmLimit: 10);

    protected BuildRun Verify(StandInServer gateway, params string[] arguments) =>
        Verify(gateway.BaseUrl.AbsoluteUri, Canary, arguments);

    /// <summary>Whether this fixture's Verify runs keep the warm-up (BuildRun turns it off unless asked).</summary>
    protected virtual bool WarmUp => false;

    protected BuildRun Verify(string url, string? key, params string[] arguments)
    {
        var run = StartVerify(url, key, arguments);
        AssertNothingLeaked(run, url, key);
        return run;
    }

    /// <summary>Verify's run alone, for a waiting case (Support/WaitingCases.cs): its test checks what leaked.</summary>
    protected BuildRun StartVerify(string url, string? key, params string[] arguments)
    {
        var environment = new Dictionary<string, string> { ["LITELLM_URL"] = url };
        if (key is not null)
        {
            environment["LITELLM_API_KEY"] = key;
        }

        return BuildRun.Start(BuildRun.WithDefaults(["--target=Verify", $"--ca-cert={CaPath}", "--deadline=5"], arguments), environment, warmup: WarmUp);
    }

    /// <summary>Runs ./build.sh with exactly these arguments, the gateway's URL and the canary key in the environment.</summary>
    protected BuildRun Run(StandInServer gateway, params string[] arguments)
    {
        var environment = new Dictionary<string, string> { ["LITELLM_URL"] = gateway.BaseUrl.AbsoluteUri, ["LITELLM_API_KEY"] = Canary };
        var run = BuildRun.Start(arguments, environment);
        AssertNothingLeaked(run, gateway.BaseUrl.AbsoluteUri, Canary);
        return run;
    }

    /// <summary>The key and the gateway's address appear in no output, report or summary, whatever happened.</summary>
    protected static void AssertNothingLeaked(BuildRun run, string url, string? key)
    {
        if (key is not null)
        {
            Assert.That(run.Everything, Does.Not.Contain(key), "the key leaked");
        }

        var authority = new Uri(url).Authority;
        Assert.That(run.Everything, Does.Not.Contain(authority), "the gateway's host:port leaked");
        Assert.That(run.Everything, Does.Not.Contain(StandInServer.UpstreamApiBase), "the upstream api base leaked");
        Assert.That(run.Output, Does.Not.Contain("   at "), "a stack trace was printed");
    }

    protected static void AssertFailedWith(BuildRun run, string task, string failureId)
    {
        Assert.That(run.ExitCode, Is.Not.EqualTo(0), run.ToString());
        Assert.That((string?)run.Report["status"], Is.EqualTo("failed"), run.ToString());
        Assert.That((string?)run.Task(task)["status"], Is.EqualTo("failed"), run.ToString());
        Assert.That((string?)run.Task(task)["failure"], Is.EqualTo(failureId), run.ToString());
        Assert.That((string?)run.Task(task)["hint"], Is.Not.Empty);
        var errorLines = run.StandardError.Split('\n').Where(line => line.StartsWith("Error: ", StringComparison.Ordinal)).ToList();
        Assert.That(errorLines, Has.Count.EqualTo(1), run.ToString());
        Assert.That(errorLines[0], Does.Contain("Fix: "));
    }
}
