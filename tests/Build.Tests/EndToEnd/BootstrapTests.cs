using System.Text.RegularExpressions;
using Build.Tests.Support;
using LiteLlmStandIn;

namespace Build.Tests.EndToEnd;

/// <summary>
/// build.sh and build.ps1 are one command: the same arguments reach the program unchanged, with the
/// same exit codes and output, one shared stamp, and a first build as quiet from either.
/// </summary>
[TestFixture]
public sealed partial class BootstrapTests
{
    private StandInServer _gateway = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        using var restore = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("dotnet", ["tool", "restore"]) { WorkingDirectory = Repository.Root, RedirectStandardOutput = true })!;
        await restore.WaitForExitAsync();
        Assert.That(restore.ExitCode, Is.EqualTo(0), "dotnet tool restore (PowerShell from the tool manifest)");
        _gateway = await StandInServer.StartAsync(new StandInOptions());
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _gateway.DisposeAsync();

    private static IEnumerable<TestCaseData> Cases()
    {
        TestCaseData Case(string name, int exitCode, params string[] arguments) => new TestCaseData(exitCode, arguments).SetName($"Both scripts: {name}");
        yield return Case("a URL with a port", 0, "--target=HealthCheck", "--exclusive", "--litellm-url=http://127.0.0.1:{port}");
        yield return Case("switches written =false", 0, "--target=ChatSmoke", "--exclusive", "--stream=false", "--deep-health=false", "--litellm-url=http://127.0.0.1:{port}");
        yield return Case("a value with a space", 2, "--target=Verify", "--model=gpt 4");
        yield return Case("a value with = in it", 0, "--target=Harden", "--exclusive", "--model=a=b");
        yield return Case("a path with a space", 0, "--target=Harden", "--exclusive", "--report={folder with space}/report.json");
        yield return Case("an unknown target", 2, "--target=Verfy");
        yield return Case("the README's rerun of one task", 1, "--target=ChatSmoke", "--exclusive", "--litellm-url=https://gateway.tail1234.ts.net:8443");
        yield return Case("the README's Verify on loopback", 1, "--target=Verify", "--deadline=1");
        yield return Case("--tree", 0, "--tree");
    }

    [TestCaseSource(nameof(Cases))]
    public void Build_sh_and_build_ps1_pass_the_same_arguments_and_say_the_same(int exitCode, string[] arguments)
    {
        var folder = Directory.CreateTempSubdirectory("with space-").FullName;
        var concrete = arguments.Select(argument => argument.Replace("{port}", _gateway.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal).Replace("{folder with space}", folder, StringComparison.Ordinal)).ToList();
        var environment = new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin:" + Path.GetDirectoryName(Environment.ProcessPath) };

        var sh = BuildRun.Start(concrete, environment, withReport: false);
        var ps = BuildRun.Start(concrete, environment, withReport: false, script: "build.ps1");

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

    [Test]
    public void One_stamp_serves_both_scripts_and_the_first_build_is_quiet_from_either()
    {
        // An input changes: the next run from either script builds once, saying only that it does.
        File.SetLastWriteTimeUtc(Repository.PathOf("build/Program.cs"), DateTime.UtcNow);
        var first = BuildRun.Start(["--target=Harden", "--exclusive"], withReport: false, script: "build.ps1");
        var second = BuildRun.Start(["--target=Harden", "--exclusive"], withReport: false);

        Assert.That(first.ExitCode, Is.EqualTo(0), first.ToString());
        Assert.That(first.StandardError.Trim(), Is.EqualTo("Building the build program (build/)..."));
        Assert.That(first.Output, Does.Not.Contain("MSBuild").And.Not.Contain("Determining projects").And.Not.Contain("->"));
        Assert.That(second.StandardError, Does.Not.Contain("Building the build program"), "switching scripts rebuilt");

        File.SetLastWriteTimeUtc(Repository.PathOf("build/Program.cs"), DateTime.UtcNow);
        var third = BuildRun.Start(["--target=Harden", "--exclusive"], withReport: false);
        var fourth = BuildRun.Start(["--target=Harden", "--exclusive"], withReport: false, script: "build.ps1");
        Assert.That(third.StandardError.Trim(), Is.EqualTo("Building the build program (build/)..."));
        Assert.That(fourth.StandardError, Does.Not.Contain("Building the build program"), "switching scripts rebuilt");
    }

    [Test]
    public void A_new_dotnet_or_a_deleted_input_rebuilds_from_either_script()
    {
        var warm = BuildRun.Start(["--version"], withReport: false);
        Assert.That(warm.ExitCode, Is.EqualTo(0), warm.ToString());
        var realRoot = File.ReadAllText(Repository.PathOf("build/bin/cake/.dotnet-root")).Trim();
        Assert.That(File.Exists(Path.Combine(realRoot, "dotnet")) || File.Exists(Path.Combine(realRoot, "dotnet.exe")), Is.True, $"{realRoot} is not where dotnet lives");

        // A stand-in for the machine's .NET, its folders older than the stamp: nothing to do.
        var fake = Directory.CreateTempSubdirectory("dotnet-root-").FullName;
        var sdk = Directory.CreateDirectory(Path.Combine(fake, "sdk")).FullName;
        var runtime = Directory.CreateDirectory(Path.Combine(fake, "shared", "Microsoft.NETCore.App")).FullName;
        void PointAtFake()
        {
            Directory.SetLastWriteTimeUtc(sdk, DateTime.UtcNow.AddDays(-30));
            Directory.SetLastWriteTimeUtc(runtime, DateTime.UtcNow.AddDays(-30));
            File.WriteAllText(Repository.PathOf("build/bin/cake/.dotnet-root"), fake + "\n");
        }

        PointAtFake();
        Assert.That(BuildRun.Start(["--version"], withReport: false).StandardError, Does.Not.Contain("Building"));
        Assert.That(BuildRun.Start(["--version"], withReport: false, script: "build.ps1").StandardError, Does.Not.Contain("Building"));

        // A new SDK, then a new runtime: the next run of either script rebuilds, and notes the real .NET again.
        Directory.SetLastWriteTimeUtc(sdk, DateTime.UtcNow.AddMinutes(1));
        Assert.That(BuildRun.Start(["--version"], withReport: false).StandardError, Does.Contain("Building the build program"));
        Assert.That(File.ReadAllText(Repository.PathOf("build/bin/cake/.dotnet-root")).Trim(), Is.EqualTo(realRoot));
        PointAtFake();
        Directory.SetLastWriteTimeUtc(runtime, DateTime.UtcNow.AddMinutes(1));
        Assert.That(BuildRun.Start(["--version"], withReport: false, script: "build.ps1").StandardError, Does.Contain("Building the build program"));
        Assert.That(File.ReadAllText(Repository.PathOf("build/bin/cake/.dotnet-root")).Trim(), Is.EqualTo(realRoot));

        // A file deleted from a nested folder of build/ changes only that folder: still a change.
        var scratch = Repository.PathOf("build/Tasks/deleted-input.tmp");
        File.WriteAllText(scratch, "x");
        Assert.That(BuildRun.Start(["--version"], withReport: false).StandardError, Does.Contain("Building the build program"));
        Thread.Sleep(1100);
        File.Delete(scratch);
        Assert.That(BuildRun.Start(["--version"], withReport: false).StandardError, Does.Contain("Building the build program"));
        Assert.That(BuildRun.Start(["--version"], withReport: false, script: "build.ps1").StandardError, Does.Not.Contain("Building"));
        Directory.Delete(fake, recursive: true);
    }

    [Test]
    public void A_ReadyToRun_copy_is_opt_in_made_in_the_foreground_and_used_by_both_scripts()
    {
        var lockFile = File.ReadAllText(Repository.PathOf("build/packages.lock.json"));
        File.SetLastWriteTimeUtc(Repository.PathOf("build/Program.cs"), DateTime.UtcNow);
        var local = new Dictionary<string, string> { ["CI"] = "false", ["GITHUB_ACTIONS"] = string.Empty };

        // By default nothing more than the build: no publish, no copy, nothing left running.
        var plain = BuildRun.Start(["--target=Harden", "--exclusive", "--verbosity=diagnostic"], new Dictionary<string, string>(local) { ["VERIFY_READY_TO_RUN"] = string.Empty }, withReport: false);
        Assert.That(plain.StandardError, Does.Contain("Building the build program").And.Not.Contain("ReadyToRun"), plain.ToString());
        Assert.That(plain.StandardOutput, Does.Contain("build program: JIT-compiled (cake/Build.dll)"));
        Assert.That(Directory.GetDirectories(Repository.PathOf("build/bin"), "r2r-*"), Is.Empty);
        Assert.That(System.Diagnostics.Process.GetProcesses().Where(process => SafeCommandLine(process).Contains("ReadyToRunStamp", StringComparison.Ordinal)), Is.Empty, "a publish was left running");

        File.SetLastWriteTimeUtc(Repository.PathOf("build/Program.cs"), DateTime.UtcNow);
        var cold = BuildRun.Start(["--target=Harden", "--exclusive", "--verbosity=diagnostic"], new Dictionary<string, string>(local) { ["VERIFY_READY_TO_RUN"] = "1" }, withReport: false, timeout: TimeSpan.FromMinutes(16));

        Assert.That(cold.ExitCode, Is.EqualTo(0), cold.ToString());
        Assert.That(cold.StandardError, Does.Contain("Publishing the ReadyToRun copy (VERIFY_READY_TO_RUN=1)").And.Contain("Ctrl-C stops it"));
        var id = File.ReadAllText(Repository.PathOf("build/bin/cake/.built")).Trim();
        Assert.That(File.Exists(Repository.PathOf($"build/bin/r2r-{id}/.complete")), Is.True, File.Exists(Repository.PathOf("build/obj/r2r/publish.log")) ? File.ReadAllText(Repository.PathOf("build/obj/r2r/publish.log")) : "no publish log");
        Assert.That(cold.StandardOutput, Does.Contain($"build program: ReadyToRun (r2r-{id}/Build.dll)"), "the run that made the copy uses it");
        var warmSh = BuildRun.Start(["--target=Harden", "--exclusive", "--verbosity=diagnostic"], withReport: false);
        var warmPs = BuildRun.Start(["--target=Harden", "--exclusive", "--verbosity=diagnostic"], withReport: false, script: "build.ps1");
        Assert.That(warmSh.StandardOutput, Does.Contain($"build program: ReadyToRun (r2r-{id}/Build.dll)"), warmSh.ToString());
        Assert.That(warmPs.StandardOutput, Does.Contain($"build program: ReadyToRun (r2r-{id}/Build.dll)"), warmPs.ToString());
        Assert.That(File.ReadAllText(Repository.PathOf("build/packages.lock.json")), Is.EqualTo(lockFile), "the publish must not rewrite the committed lock file");
    }

    private static string SafeCommandLine(System.Diagnostics.Process process)
    {
        try
        {
            return File.ReadAllText($"/proc/{process.Id}/cmdline");
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return string.Empty;
        }
    }

    /// <summary>The output without what differs between any two runs: numbers (durations, attempts), padding and the build line.</summary>
    private static string Normal(string output) =>
        Padding().Replace(Durations().Replace(string.Join('\n', output.Split('\n').Where(line => !line.Contains("Building the build program", StringComparison.Ordinal))), "N"), " ");

    [GeneratedRegex("[ ─═]+")]
    private static partial Regex Padding();

    [GeneratedRegex(@"\d+(\.\d+)?")]
    private static partial Regex Durations();
}
