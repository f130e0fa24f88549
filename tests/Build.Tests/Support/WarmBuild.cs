namespace Build.Tests.Support;

/// <summary>Builds the build program once through ./build.sh, so every end-to-end run takes the warm path.</summary>
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
