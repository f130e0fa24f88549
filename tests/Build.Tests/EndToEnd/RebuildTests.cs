using Build.Tests.Support;

namespace Build.Tests.EndToEnd;

/// <summary>
/// When build.sh and build.ps1 build the program: a changed input, a new .NET, a deleted file, the opt-in ReadyToRun
/// copy. Each case changes build inputs, so each fixture works in its own copy of the repository (RepositoryCopy),
/// and the two run in parallel; the checkout under test is never written.
/// </summary>
public abstract class RebuildFixture
{
    protected RepositoryCopy Copy { get; private set; } = null!;

    [OneTimeSetUp]
    public void MakeCopy()
    {
        // [ and ] in the copy's path: PowerShell's -Path reads them as wildcards, so build.ps1 must take every path
        // literally (it failed to build, publish and write its stamp from such a checkout).
        Copy = RepositoryCopy.Create("verify-repository-[rebuild]-");
        var first = BuildRun.Start(["--version"], withReport: false, timeout: TimeSpan.FromMinutes(5), repository: Copy.Root);
        Assert.That(first.ExitCode, Is.EqualTo(0), first.ToString());
        Assert.That(first.StandardError, Does.Not.Contain("Building"), "the copy starts with the checkout's program");
    }

    [OneTimeTearDown]
    public void Remove() => Copy.Dispose();

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

    /// <summary>The command lines of running processes that contain <paramref name="text"/> (a folder, say: the compiler and crossgen2 name only their temp files).</summary>
    protected static IEnumerable<string> Running(string text) =>
        System.Diagnostics.Process.GetProcesses().Select(SafeCommandLine).Where(line => line.Contains(text, StringComparison.Ordinal));

    /// <summary>The command lines of this copy's processes that contain <paramref name="marker"/>.</summary>
    protected IEnumerable<string> RunningInCopy(string marker) => Running(marker).Where(line => line.Contains(Copy.Root, StringComparison.Ordinal));

    /// <summary>An empty temp folder for one run (its TMPDIR), to see what the run leaves there.</summary>
    protected static string UserTemp() => Directory.CreateTempSubdirectory("user-temp-").FullName;

    protected static IEnumerable<string> LeftIn(string folder) => Directory.EnumerateFileSystemEntries(folder).Select(Path.GetFileName)!;

    /// <summary>
    /// PATH for a run whose SDK build or publish keeps going on Ctrl-C, as MSBuild can (seen under load: the publish went on
    /// for 26 s; dotnet/msbuild#11680 is one such case): the real dotnet, started with SIGINT ignored. The scripts must end
    /// the SDK's work themselves.
    /// </summary>
    protected static string PathWithCtrlCDeafSdk()
    {
        var folder = Directory.CreateTempSubdirectory("deaf-sdk-").FullName;
        var wrapper = Path.Combine(folder, "dotnet");
        File.WriteAllText(wrapper, $"#!/bin/sh\ntrap '' INT\nexec \"{BuildRun.Dotnet.Value}\" \"$@\"\n");
        File.SetUnixFileMode(wrapper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return folder + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH");
    }

    protected static long SizeOf(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Sum(file => new FileInfo(file).Length);

    /// <summary>When a process a run starts (the SDK's build or publish) is at work, for a run's interruptWhen.</summary>
    protected sealed class Watch(Func<bool> running)
    {
        public DateTime? Seen { get; private set; }

        /// <summary>True 0.3 s after the process first showed up: the signal then meets it at work.</summary>
        public bool Underway()
        {
            Seen ??= running() ? DateTime.UtcNow : null;
            return DateTime.UtcNow - Seen > TimeSpan.FromSeconds(0.3);
        }
    }
}

/// <summary>
/// What counts as a change, from either script: one stamp for both, a first build as quiet from either; a new .NET SDK
/// or runtime, a deleted input. One copy serves both cases, in order: only the first build in a copy compiles everything.
/// </summary>
[TestFixture]
[Order(1)]
public sealed class StampTests : RebuildFixture
{
    [Test]
    [Order(1)]
    public void One_stamp_serves_both_scripts_and_the_first_build_is_quiet_from_either()
    {
        // An input changes: the next run from either script builds once, saying only that it does.
        // The SDK leaves two empty folders in the temp folder after every build (dotnet/sdk#35353); neither script
        // leaves them in the user's.
        // Offline: the copy's first restore runs NuGet's audit (on here, off for the suite's other runs), whose
        // vulnerability data cannot be fetched (an empty HTTP cache, a proxy that refuses): NU1900, still a build, not
        // "the build program did not compile". NuGet tries a failed request six times, a second apart
        // (NuGet.Protocol's EnhancedHttpRetryHelper); one try gives the same warning about 6 s sooner.
        File.SetLastWriteTimeUtc(Copy.PathOf("build/Program.cs"), DateTime.UtcNow);
        var firstTemp = UserTemp();
        var offline = $"http://127.0.0.1:{Loopback.UnusedPort()}";
        var first = BuildRun.Start(
            ["--target=Harden", "--exclusive"],
            new Dictionary<string, string>
            {
                ["TMPDIR"] = firstTemp,
                ["NuGetAudit"] = "true",
                ["NUGET_HTTP_CACHE_PATH"] = Directory.CreateTempSubdirectory("nuget-http-cache-").FullName,
                ["HTTPS_PROXY"] = offline,
                ["https_proxy"] = offline,
                ["NUGET_ENHANCED_MAX_NETWORK_TRY_COUNT"] = "1",
            },
            withReport: false,
            script: "build.ps1",
            repository: Copy.Root);
        var second = BuildRun.Start(["--target=Harden", "--exclusive"], withReport: false, repository: Copy.Root);

        Assert.That(first.ExitCode, Is.EqualTo(0), first.ToString());
        Assert.That(first.StandardError.Trim(), Is.EqualTo("Building the build program (build/)..."));
        Assert.That(first.Output, Does.Not.Contain("MSBuild").And.Not.Contain("Determining projects").And.Not.Contain("->"));
        Assert.That(second.StandardError, Does.Not.Contain("Building the build program"), "switching scripts rebuilt");
        Assert.That(LeftIn(firstTemp), Is.Empty, "build.ps1's build left these in the temp folder");

        // Any input counts, not only code: the lock file this time (MSBuild then has nothing to compile, build.sh still builds).
        File.SetLastWriteTimeUtc(Copy.PathOf("build/packages.lock.json"), DateTime.UtcNow);
        var thirdTemp = UserTemp();
        var third = BuildRun.Start(["--target=Harden", "--exclusive"], new Dictionary<string, string> { ["TMPDIR"] = thirdTemp }, withReport: false, repository: Copy.Root);
        var fourth = BuildRun.Start(["--target=Harden", "--exclusive"], withReport: false, script: "build.ps1", repository: Copy.Root);
        Assert.That(third.StandardError.Trim(), Is.EqualTo("Building the build program (build/)..."));
        Assert.That(LeftIn(thirdTemp), Is.Empty, "build.sh's build left these in the temp folder");
        Assert.That(fourth.StandardError, Does.Not.Contain("Building the build program"), "switching scripts rebuilt");
    }

    [Test]
    [Order(2)]
    public void A_new_dotnet_or_a_deleted_input_rebuilds_from_either_script()
    {
        var warm = BuildRun.Start(["--version"], withReport: false, repository: Copy.Root);
        Assert.That(warm.ExitCode, Is.EqualTo(0), warm.ToString());
        var realRoot = File.ReadAllText(Copy.PathOf("build/bin/cake/.dotnet-root")).Trim();
        Assert.That(File.Exists(Path.Combine(realRoot, "dotnet")) || File.Exists(Path.Combine(realRoot, "dotnet.exe")), Is.True, $"{realRoot} is not where dotnet lives");

        // A stand-in for the machine's .NET, its folders older than the stamp: nothing to do.
        var fake = Directory.CreateTempSubdirectory("dotnet-root-").FullName;
        var sdk = Directory.CreateDirectory(Path.Combine(fake, "sdk")).FullName;
        var runtime = Directory.CreateDirectory(Path.Combine(fake, "shared", "Microsoft.NETCore.App")).FullName;
        void PointAtFake()
        {
            Directory.SetLastWriteTimeUtc(sdk, DateTime.UtcNow.AddDays(-30));
            Directory.SetLastWriteTimeUtc(runtime, DateTime.UtcNow.AddDays(-30));
            File.WriteAllText(Copy.PathOf("build/bin/cake/.dotnet-root"), fake + "\n");
        }

        PointAtFake();
        Assert.That(BuildRun.Start(["--version"], withReport: false, repository: Copy.Root).StandardError, Does.Not.Contain("Building"));
        Assert.That(BuildRun.Start(["--version"], withReport: false, script: "build.ps1", repository: Copy.Root).StandardError, Does.Not.Contain("Building"));

        // A new SDK, then a new runtime: the next run of either script rebuilds, and notes the real .NET again.
        Directory.SetLastWriteTimeUtc(sdk, DateTime.UtcNow.AddMinutes(1));
        Assert.That(BuildRun.Start(["--version"], withReport: false, repository: Copy.Root).StandardError, Does.Contain("Building the build program"));
        Assert.That(File.ReadAllText(Copy.PathOf("build/bin/cake/.dotnet-root")).Trim(), Is.EqualTo(realRoot));
        PointAtFake();
        Directory.SetLastWriteTimeUtc(runtime, DateTime.UtcNow.AddMinutes(1));
        Assert.That(BuildRun.Start(["--version"], withReport: false, script: "build.ps1", repository: Copy.Root).StandardError, Does.Contain("Building the build program"));
        Assert.That(File.ReadAllText(Copy.PathOf("build/bin/cake/.dotnet-root")).Trim(), Is.EqualTo(realRoot));

        // A file deleted from a nested folder of build/ changes only that folder: still a change. The file was
        // there at the last build (its folder and it older than the stamp).
        var scratch = Copy.PathOf("build/Tasks/deleted-input.tmp");
        File.WriteAllText(scratch, "x");
        var stamp = Copy.PathOf("build/bin/cake/.built");
        File.SetLastWriteTimeUtc(scratch, DateTime.UtcNow.AddSeconds(-10));
        Directory.SetLastWriteTimeUtc(Path.GetDirectoryName(scratch)!, DateTime.UtcNow.AddSeconds(-10));
        File.SetLastWriteTimeUtc(stamp, DateTime.UtcNow.AddSeconds(-5));
        Assert.That(BuildRun.Start(["--version"], withReport: false, repository: Copy.Root).StandardError, Does.Not.Contain("Building"), "no change yet");
        File.Delete(scratch);
        Assert.That(BuildRun.Start(["--version"], withReport: false, repository: Copy.Root).StandardError, Does.Contain("Building the build program"));
        Assert.That(BuildRun.Start(["--version"], withReport: false, script: "build.ps1", repository: Copy.Root).StandardError, Does.Not.Contain("Building"));
        Directory.Delete(fake, recursive: true);
    }

    [Test]
    [Order(3)]
    public void Ctrl_C_in_the_terminal_during_a_build_says_so_and_leaves_no_stamp()
    {
        // A closed terminal's HUP as well: build.sh runs the SDK in a process group of its own, which that HUP no longer reaches.
        foreach (var (script, signal) in new[] { ("build.sh", "INT"), ("build.ps1", "INT"), ("build.sh", "HUP") })
        {
            File.SetLastWriteTimeUtc(Copy.PathOf("build/Program.cs"), DateTime.UtcNow);
            var temp = UserTemp();
            var build = new Watch(() => RunningInCopy("build/Build.csproj").Any());
            var program = File.GetLastWriteTimeUtc(Copy.PathOf("build/bin/cake/Build.dll"));

            // An SDK that does not stop on Ctrl-C (as MSBuild can be): the script must stop it.
            var run = BuildRun.Start(["--version"], new Dictionary<string, string> { ["TMPDIR"] = temp, ["PATH"] = PathWithCtrlCDeafSdk() }, withReport: false, interruptWhen: build.Underway, signal: signal, script: script, repository: Copy.Root, asTerminal: true);

            Assert.That(build.Seen, Is.Not.Null, $"{script}: the build never started:\n{run}");
            Assert.That(run.ExitCode, Is.EqualTo(130), run.ToString());
            Assert.That(run.StandardError, Does.Contain($"Interrupted: the build program was not built (nothing is wrong with build/). Fix: run ./{script} again.").And.Not.Contain("did not compile"));
            Assert.That(File.Exists(Copy.PathOf("build/bin/cake/.built")), Is.False, $"{script}: an interrupted build left the stamp, so the next run would not build");
            Assert.That(LeftIn(temp), Is.Empty, $"{script}: the build left these in the temp folder");
            Assert.That(File.GetLastWriteTimeUtc(Copy.PathOf("build/bin/cake/Build.dll")), Is.EqualTo(program), $"{script}: the build went on to the end after {signal}");
            Assert.That(Running(temp), Is.Empty, $"{script}: the build's compiler kept running after {signal}");
        }

        Assert.That(RunningInCopy("build/Build.csproj"), Is.Empty, "a build kept running");
    }
}

/// <summary>
/// The opt-in ReadyToRun copy: nothing by default, made once in the foreground when turned on, used by both scripts.
/// The copy that is made is SharedCopy's (the suite's other runs use it); the default is checked in this fixture's own copy.
/// </summary>
[TestFixture]
[Order(0)]
public sealed class ReadyToRunTests : RebuildFixture
{
    [Test]
    public void By_default_there_is_no_ReadyToRun_copy_and_a_failed_publish_is_not_tried_again()
    {
        var local = new Dictionary<string, string> { ["CI"] = "false", ["GITHUB_ACTIONS"] = string.Empty };
        var id = File.ReadAllText(Copy.PathOf("build/bin/cake/.built")).Trim();

        // By default nothing more than the build: no publish, no copy, nothing left running.
        var plain = BuildRun.Start(["--target=Harden", "--exclusive", "--verbosity=diagnostic"], new Dictionary<string, string>(local) { ["VERIFY_READY_TO_RUN"] = string.Empty }, withReport: false, repository: Copy.Root);
        Assert.That(plain.StandardError, Does.Not.Contain("ReadyToRun").And.Not.Contain("Building"), plain.ToString());
        Assert.That(plain.StandardOutput, Does.Contain("build program: JIT-compiled (cake/Build.dll)"));
        Assert.That(Directory.GetDirectories(Copy.PathOf("build/bin"), "r2r-*"), Is.Empty);
        Assert.That(SizeOf(Copy.PathOf("build")), Is.LessThan(40L * 1024 * 1024), "build/ after the default build");
        Assert.That(RunningInCopy("ReadyToRunStamp"), Is.Empty, "a publish was left running");

        // A publish that failed for this build is not tried again on every run.
        var failed = Copy.PathOf($"build/obj/r2r/failed-{id}");
        Directory.CreateDirectory(Path.GetDirectoryName(failed)!);
        File.WriteAllText(failed, string.Empty);
        var after = BuildRun.Start(["--target=Harden", "--exclusive", "--verbosity=diagnostic"], new Dictionary<string, string>(local) { ["VERIFY_READY_TO_RUN"] = "1" }, withReport: false, timeout: TimeSpan.FromMinutes(5), repository: Copy.Root);
        Assert.That(after.StandardError, Does.Not.Contain("Publishing"), after.ToString());
        Assert.That(after.StandardOutput, Does.Contain("build program: JIT-compiled (cake/Build.dll)"));
        Assert.That(Directory.GetDirectories(Copy.PathOf("build/bin"), "r2r-*"), Is.Empty);
    }

    [TestCase("build.sh")]
    [TestCase("build.ps1")]
    public void Ctrl_C_in_the_terminal_stops_the_publish_and_the_next_run_tries_again(string script)
    {
        var id = File.ReadAllText(Copy.PathOf("build/bin/cake/.built")).Trim();
        var failed = Copy.PathOf($"build/obj/r2r/failed-{id}");
        if (File.Exists(failed))
        {
            File.Delete(failed);
        }

        var temp = UserTemp();
        var publish = new Watch(() => RunningInCopy("ReadyToRunStamp").Any());

        var run = BuildRun.Start(
            ["--version"],
            new Dictionary<string, string> { ["CI"] = "false", ["GITHUB_ACTIONS"] = string.Empty, ["VERIFY_READY_TO_RUN"] = "1", ["TMPDIR"] = temp, ["PATH"] = PathWithCtrlCDeafSdk() },
            withReport: false,
            timeout: TimeSpan.FromMinutes(5),
            interruptWhen: publish.Underway,
            script: script,
            repository: Copy.Root,
            asTerminal: true,
            publishes: true);

        Assert.That(publish.Seen, Is.Not.Null, "the publish never started:\n" + run);
        Assert.That(run.ExitCode, Is.EqualTo(130), run.ToString());
        Assert.That(run.StandardError, Does.Contain("Interrupted: the ReadyToRun copy was not made").And.Contain($"Fix: run ./{script} again"));
        Assert.That(run.StandardOutput, Does.Not.Contain("Build 0.1.0"), "the program ran after Ctrl-C");
        Assert.That(RunningInCopy("ReadyToRunStamp"), Is.Empty, "the publish kept running");
        Assert.That(Directory.GetDirectories(Copy.PathOf("build/bin"), "r2r-*"), Is.Empty);
        Assert.That(File.Exists(failed), Is.False, "an interrupted publish is not a failed one: the next run tries again");
        Assert.That(LeftIn(temp), Is.Empty, "the publish left these in the temp folder");
        Assert.That(Directory.GetDirectories(Copy.PathOf("build/obj"), "R2R", SearchOption.AllDirectories), Is.Empty, "the publish went on to precompile after Ctrl-C");
        Assert.That(Running(temp), Is.Empty, "the publish's compiler or crossgen2 kept running");
    }

    [Test]
    public void Turned_on_the_copy_is_made_once_in_the_foreground_and_used_by_both_scripts()
    {
        // SharedCopy's first run turned it on (VERIFY_READY_TO_RUN=1, off CI): it published in the foreground and used the copy.
        var cold = SharedCopy.Publish;
        var id = SharedCopy.StampId;
        Assert.That(cold.ExitCode, Is.EqualTo(0), cold.ToString());
        Assert.That(cold.StandardError, Does.Contain("Publishing the ReadyToRun copy (VERIFY_READY_TO_RUN=1)").And.Contain("Ctrl-C stops it"));
        Assert.That(File.Exists(SharedCopy.PathOf($"build/bin/r2r-{id}/.complete")), Is.True, File.Exists(SharedCopy.PathOf("build/obj/r2r/publish.log")) ? File.ReadAllText(SharedCopy.PathOf("build/obj/r2r/publish.log")) : "no publish log");
        Assert.That(cold.StandardOutput, Does.Contain($"build program: ReadyToRun (r2r-{id}/Build.dll)"), "the run that made the copy uses it");
        Assert.That(SharedCopy.PublishLeftInTemp, Is.Empty, "the publish left these in the temp folder (the SDK's, dotnet/sdk#35353)");

        // Later runs of either script, with or without the switch, use it and publish nothing.
        var warmSh = BuildRun.Start(["--target=Harden", "--exclusive", "--verbosity=diagnostic"], withReport: false);
        var warmPs = BuildRun.Start(["--target=Harden", "--exclusive", "--verbosity=diagnostic"], new Dictionary<string, string> { ["VERIFY_READY_TO_RUN"] = "1", ["CI"] = "false" }, withReport: false, script: "build.ps1");
        Assert.That(warmSh.StandardError, Does.Not.Contain("Publishing"), "published twice");
        Assert.That(warmPs.StandardError, Does.Not.Contain("Publishing"), "published twice");
        Assert.That(warmSh.StandardOutput, Does.Contain($"build program: ReadyToRun (r2r-{id}/Build.dll)"), warmSh.ToString());
        Assert.That(warmPs.StandardOutput, Does.Contain($"build program: ReadyToRun (r2r-{id}/Build.dll)"), warmPs.ToString());
        Assert.That(File.ReadAllText(SharedCopy.PathOf("build/packages.lock.json")), Is.EqualTo(SharedCopy.LockFileBefore), "the publish must not rewrite the committed lock file");
        Assert.That(SizeOf(SharedCopy.PathOf("build")), Is.LessThan(60L * 1024 * 1024), "build/ with the copy (its intermediate files removed)");
        Assert.That(File.Exists(SharedCopy.PathOf("build/obj/r2r/publish.log")), Is.True, "the publish log stays");
        Assert.That(Running("ReadyToRunStamp"), Is.Empty, "a publish was left running");
    }
}
