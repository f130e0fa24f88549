// Fixtures run in parallel, two at a time (one per core of the project's machine; three measured no faster,
// the suite being CPU-bound), each fixture's tests one after another. A fixture that changes build inputs
// works in its own RepositoryCopy.
[assembly: Parallelizable(ParallelScope.Fixtures)]
[assembly: LevelOfParallelism(2)]

namespace Build.Tests.Support;

/// <summary>
/// The checkout's program, built once through ./build.sh before the first run that needs it: every RepositoryCopy
/// starts from it, and the runs that start the checkout itself (the scripts as a user starts them, the pre-push
/// hook) take the warm path and never build at once.
/// </summary>
public static class WarmBuild
{
    private static readonly Lazy<BuildRun> Once = new(
        () => BuildRun.Start(["--version"], withReport: false, timeout: TimeSpan.FromMinutes(5), repository: Repository.Root),
        LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The checkout's root, its default (JIT-compiled) program built.</summary>
    public static string Checkout
    {
        get
        {
            Ensure();
            return Repository.Root;
        }
    }

    public static void Ensure()
    {
        var run = Once.Value;
        Assert.That(run.ExitCode, Is.EqualTo(0), "the first build through ./build.sh failed:\n" + run);
    }
}
