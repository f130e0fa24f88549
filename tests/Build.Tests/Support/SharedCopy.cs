namespace Build.Tests.Support;

/// <summary>
/// The repository copy that end-to-end runs share unless they name another: a RepositoryCopy whose opt-in ReadyToRun
/// copy (VERIFY_READY_TO_RUN=1) its own ./build.sh makes once, before the first run. The suite starts the program
/// about 200 times on a CPU-bound 2-core machine, and the precompiled copy costs about a quarter less CPU per start
/// (docs/performance.md); the publish itself is the one ReadyToRunTests checks. The default, JIT-compiled program
/// runs where starting it is what a test is about: the checkout (both scripts, the pre-push hook), the rebuild cases
/// and ReadyToRunTests' default case. Removed when the suite ends (<see cref="SuiteLifetime"/>), so the checkout's
/// build/ holds only the default program.
/// </summary>
public static class SharedCopy
{
    // Replaced when the suite ends: a test host that runs the suite again (Stryker's does) makes a new copy.
    private static Lazy<Made> _once = NewOnce();

    public static string Root => _once.Value.Copy.Root;

    /// <summary>The run that made the ReadyToRun copy (a Harden run at diagnostic verbosity), for ReadyToRunTests.</summary>
    public static BuildRun Publish => _once.Value.Publish;

    /// <summary>What the publish run left in its temp folder (TMPDIR), for ReadyToRunTests.</summary>
    public static IReadOnlyList<string> PublishLeftInTemp => _once.Value.LeftInTemp;

    /// <summary>The stamp of the build the copy belongs to (build/bin/cake/.built).</summary>
    public static string StampId => _once.Value.StampId;

    /// <summary>build/packages.lock.json as it was before the publish.</summary>
    public static string LockFileBefore => _once.Value.LockFileBefore;

    public static string PathOf(string relative) => Path.Combine(Root, relative);

    internal static void Remove()
    {
        var made = Interlocked.Exchange(ref _once, NewOnce());
        if (made.IsValueCreated)
        {
            made.Value.Copy.Dispose();
        }
    }

    private static Lazy<Made> NewOnce() => new(Make, LazyThreadSafetyMode.ExecutionAndPublication);

    private static Made Make()
    {
        var copy = RepositoryCopy.Create();
        var stamp = File.ReadAllText(copy.PathOf("build/bin/cake/.built")).Trim();
        var lockFile = File.ReadAllText(copy.PathOf("build/packages.lock.json"));
        var temp = Directory.CreateTempSubdirectory("publish-temp-").FullName;
        var publish = BuildRun.Start(
            ["--target=Harden", "--exclusive", "--verbosity=diagnostic"],
            new Dictionary<string, string> { ["VERIFY_READY_TO_RUN"] = "1", ["CI"] = "false", ["GITHUB_ACTIONS"] = string.Empty, ["TMPDIR"] = temp },
            withReport: false,
            timeout: TimeSpan.FromMinutes(16),
            repository: copy.Root,
            publishes: true);
        Assert.That(publish.ExitCode, Is.EqualTo(0), "the run that publishes the ReadyToRun copy failed:\n" + publish);
        var leftInTemp = Directory.EnumerateFileSystemEntries(temp).Select(Path.GetFileName).ToList();
        Directory.Delete(temp, recursive: true);
        return new Made(copy, publish, stamp, lockFile, leftInTemp!);
    }

    private sealed record Made(RepositoryCopy Copy, BuildRun Publish, string StampId, string LockFileBefore, IReadOnlyList<string> LeftInTemp);
}
