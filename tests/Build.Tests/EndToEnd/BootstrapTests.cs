using System.Text.RegularExpressions;
using Build.Tests.Support;
using LiteLlmStandIn;

namespace Build.Tests.EndToEnd;

/// <summary>
/// build.sh and build.ps1 are one command: the same arguments reach the program unchanged, with the
/// same exit codes and output, one shared stamp, and a first build as quiet from either.
/// </summary>
[TestFixture]
// Last of the end-to-end fixtures: it keeps both cores busy (the two scripts side by side, PowerShell and the program)
// while the other worker goes through the in-process fixtures, which mostly wait on deadlines; run beside each other,
// two of those left both cores idle at the end of the suite.
[Order(14)]
public sealed partial class BootstrapTests
{
    // Two cases at a time, each with its two scripts side by side: the fixture runs last, beside in-process fixtures that
    // mostly wait, and one case at a time left a core idle.
    private const int CasesAtOnce = 2;

    private readonly Dictionary<string, Task<CaseRuns>> _runs = [];
    private readonly SemaphoreSlim _slots = new(CasesAtOnce);
    private StandInServer _gateway = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        using var restore = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("dotnet", ["tool", "restore"]) { WorkingDirectory = Repository.Root, RedirectStandardOutput = true })!;
        await restore.WaitForExitAsync();
        Assert.That(restore.ExitCode, Is.EqualTo(0), "dotnet tool restore (PowerShell from the tool manifest)");
        _gateway = await StandInServer.StartAsync(new StandInOptions());

        // Every case's runs start here, at most CasesAtOnce at a time; each test waits for its own and checks them.
        var checkout = WarmBuild.Checkout;
        foreach (var (name, _, arguments) in CaseList())
        {
            _runs[name] = RunBothAsync(arguments, checkout);
        }
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await Task.WhenAll(_runs.Values).ContinueWith(_ => { }, TaskScheduler.Default);
        await _gateway.DisposeAsync();
        _slots.Dispose();
    }

    private static IEnumerable<(string Name, int ExitCode, string[] Arguments)> CaseList()
    {
        yield return ("a URL with a port", 0, ["--target=HealthCheck", "--exclusive", "--litellm-url=http://127.0.0.1:{port}"]);
        yield return ("switches written =false", 0, ["--target=ChatSmoke", "--exclusive", "--stream=false", "--deep-health=false", "--litellm-url=http://127.0.0.1:{port}"]);
        yield return ("a value with a space", 2, ["--target=Verify", "--model=gpt 4"]);
        yield return ("a value with = in it", 0, ["--target=Harden", "--exclusive", "--model=a=b"]);
        yield return ("a path with a space", 0, ["--target=Harden", "--exclusive", "--report={folder with space}/report.json"]);
        yield return ("an unknown target", 2, ["--target=Verfy"]);
        // The README's rerun, against a loopback port that speaks plain http (a failed TLS handshake): no name lookup leaves the machine.
        yield return ("the README's rerun of one task", 1, ["--target=ChatSmoke", "--exclusive", "--litellm-url=https://localhost:{port}"]);
        yield return ("the README's Verify on loopback", 1, ["--target=Verify", "--deadline=1"]);
        yield return ("--tree", 0, ["--tree"]);
    }

    private static IEnumerable<TestCaseData> Cases() =>
        CaseList().Select(item => new TestCaseData(item.Name, item.ExitCode).SetName($"Both scripts: {item.Name}"));

    private async Task<CaseRuns> RunBothAsync(string[] arguments, string checkout)
    {
        await _slots.WaitAsync();
        try
        {
            var folder = Directory.CreateTempSubdirectory("with space-").FullName;
            var concrete = arguments.Select(argument => argument.Replace("{port}", _gateway.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal).Replace("{folder with space}", folder, StringComparison.Ordinal)).ToList();
            var environment = new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin:" + Path.GetDirectoryName(Environment.ProcessPath) };

            // The checkout's default program, as a user's first command starts it. The two runs go side by side (they
            // write only through the program's atomic writes).
            var shell = WaitingCases.OnItsOwnThreadAsync(() => BuildRun.Start(concrete, environment, withReport: false, repository: checkout));
            var ps = await WaitingCases.OnItsOwnThreadAsync(() => BuildRun.Start(concrete, environment, withReport: false, script: "build.ps1", repository: checkout));
            return new CaseRuns(await shell, ps, folder, concrete);
        }
        finally
        {
            _slots.Release();
        }
    }

    [TestCaseSource(nameof(Cases))]
    public async Task Build_sh_and_build_ps1_pass_the_same_arguments_and_say_the_same(string name, int exitCode)
    {
        var (sh, ps, folder, concrete) = await _runs[name];

        Assert.That(sh.ExitCode, Is.EqualTo(exitCode), sh.ToString());
        Assert.That(ps.ExitCode, Is.EqualTo(exitCode), ps.ToString());
        // The same words, each naming the script that ran.
        Assert.That(Normal(ps.StandardOutput.Replace("./build.ps1", "./build.sh", StringComparison.Ordinal)), Is.EqualTo(Normal(sh.StandardOutput)));
        Assert.That(Normal(ps.StandardError.Replace("./build.ps1", "./build.sh", StringComparison.Ordinal)), Is.EqualTo(Normal(sh.StandardError)));
        Assert.That(ps.Output, sh.Output.Contains("./build.sh", StringComparison.Ordinal) ? Does.Contain("./build.ps1").And.Not.Contain("./build.sh") : Does.Not.Contain("./build.ps1"));
        if (concrete.Any(argument => argument.StartsWith("--report=", StringComparison.Ordinal)))
        {
            Assert.That(File.Exists(Path.Combine(folder, "report.json")), Is.True);
        }
    }

    /// <summary>A case's two runs, the folder its report path may name, and its arguments as given.</summary>
    private sealed record CaseRuns(BuildRun Sh, BuildRun Ps, string Folder, List<string> Arguments);

    /// <summary>The output without what differs between any two runs: numbers (durations, attempts), padding and the build line.</summary>
    private static string Normal(string output) =>
        Padding().Replace(Durations().Replace(string.Join('\n', output.Split('\n').Where(line => !line.Contains("Building the build program", StringComparison.Ordinal))), "N"), " ");

    [GeneratedRegex("[ ─═]+")]
    private static partial Regex Padding();

    [GeneratedRegex(@"\d+(\.\d+)?")]
    private static partial Regex Durations();
}
