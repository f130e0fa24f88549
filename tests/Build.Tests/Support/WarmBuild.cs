// Fixtures run in parallel, two at a time (one per core of the project's machine; three measured no faster,
// the suite being CPU-bound), each fixture's tests one after another. A fixture that changes build inputs
// works in its own RepositoryCopy.
[assembly: Parallelizable(ParallelScope.Fixtures)]
[assembly: LevelOfParallelism(2)]

namespace Build.Tests.Support;

/// <summary>
/// The checkout's program, built once through ./build.sh before the first run that needs it (BuildRun on the checkout,
/// a RepositoryCopy, the pre-push hook), so end-to-end runs started in parallel take the warm path and never build at
/// once, and the in-process fixtures run meanwhile instead of waiting for it.
/// </summary>
public static class WarmBuild
{
    private static readonly Lazy<BuildRun> Once = new(
        () => BuildRun.Start(["--version"], withReport: false, timeout: TimeSpan.FromMinutes(5), repository: Repository.Root),
        LazyThreadSafetyMode.ExecutionAndPublication);

    public static void Ensure()
    {
        var run = Once.Value;
        Assert.That(run.ExitCode, Is.EqualTo(0), "the first build through ./build.sh failed:\n" + run);
    }
}
