using Build.Tests.Support;

// Fixtures run in parallel, two at a time (one per core of the project's machine; three measured no faster,
// the suite being CPU-bound), each fixture's tests one after another. A fixture that changes build inputs
// works in its own RepositoryCopy.
[assembly: Parallelizable(ParallelScope.Fixtures)]
[assembly: LevelOfParallelism(2)]

/// <summary>
/// Builds the build program once through ./build.sh before any test (a set-up fixture outside any namespace covers
/// the whole assembly), so end-to-end runs started in parallel take the warm path and never build at once.
/// </summary>
[SetUpFixture]
public sealed class WarmBuild
{
    [OneTimeSetUp]
    public void BuildOnce()
    {
        var run = BuildRun.Start(["--version"], withReport: false, timeout: TimeSpan.FromMinutes(5));
        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
    }
}
