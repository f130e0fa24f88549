using Build.Tests.Support;

/// <summary>Outside every namespace: NUnit runs its teardown once, after the last fixture of the assembly.</summary>
[SetUpFixture]
public sealed class SuiteCleanup
{
    [OneTimeTearDown]
    public void RemoveSharedCopy() => SharedCopy.Remove();
}
