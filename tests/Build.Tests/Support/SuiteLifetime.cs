using Build.Tests.Support;

/// <summary>Outside every namespace: NUnit runs these once, before the first fixture of the assembly and after the last.</summary>
[SetUpFixture]
public sealed class SuiteLifetime
{
    [OneTimeSetUp]
    public void Open()
    {
        SuiteTemp.Open();
        ChildEnvironment.Open();
    }

    [OneTimeTearDown]
    public void RemoveWhatTheSuiteMade()
    {
        SharedCopy.Remove();
        FakeCliServer.Stop();
        ChildEnvironment.Close();
        SuiteTemp.Close();
    }
}
