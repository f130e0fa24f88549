using Build.Tests.Support;

// Fixtures run in parallel, each fixture's tests one after another. End-to-end runs spend much of their time
// waiting (deadlines, retries, a stand-in's delays), so three at once fit the project's 2-core machine.
// A fixture that changes build inputs works in its own RepositoryCopy.
[assembly: Parallelizable(ParallelScope.Fixtures)]
[assembly: LevelOfParallelism(3)]

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
