using Build.Gateway;

namespace Build.Tests.Support;

/// <summary>
/// The cases of an in-process fixture that mostly wait on real deadlines, retries and budgets. They start together in
/// the fixture's one-time setup and wait side by side, not one after another on one of the suite's two workers (the
/// fixtures run last, where that wait was the end of the suite); each test then awaits its own case and checks what it
/// saw. A case only acts and observes: every assertion stays in its test, which NUnit reports it against.
/// </summary>
public sealed class WaitingCases
{
    private readonly Dictionary<string, Task<object?>> _started = [];

    public void Start<T>(string name, Func<Task<T>> act) => _started.Add(name, BoxAsync(act));

    public async Task<T> SeenAsync<T>(string name) => (T)(await _started[name])!;

    /// <summary>For the one-time teardown: every case has ended (a test that failed early left its case running).</summary>
    public Task EndAsync() => Task.WhenAll(_started.Values).ContinueWith(_ => { }, TaskScheduler.Default);

    /// <summary>The failure a check reported, or null when it passed (the test asserts which it expected).</summary>
    public static async Task<Failure?> FailureOfAsync(Func<Task> check)
    {
        try
        {
            await check();
            return null;
        }
        catch (CheckFailedException exception)
        {
            return exception.Failure;
        }
    }

    private static async Task<object?> BoxAsync<T>(Func<Task<T>> act) => await Task.Run(act);
}
