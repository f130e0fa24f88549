using Build.Gateway;

namespace Build.Tests.Support;

/// <summary>
/// The cases of a fixture that mostly wait on real deadlines and retries. They start together in the fixture's one-time
/// setup and wait beside the fixture's other tests, not one after another on one of the suite's two workers, whose
/// core would sit idle meanwhile; each test then awaits its own case and checks what it saw. A case only acts and
/// observes: every assertion stays in its test, which NUnit reports it against.
/// Under mutation testing (tests/mutation/run.sh sets <see cref="InTheirTestsVariable"/>) each case runs inside its own
/// test instead: Stryker records which code each test runs while that test runs, and code run from a setup belongs to
/// no test, so the mutants only these cases reach would count as covered by none.
/// </summary>
public sealed class WaitingCases
{
    public const string InTheirTestsVariable = "BUILD_TESTS_WAITING_CASES_IN_THEIR_TESTS";

    private static readonly bool InTheirTests = Environment.GetEnvironmentVariable(InTheirTestsVariable) == "1";

    private readonly Dictionary<string, Lazy<Task<object?>>> _cases = [];

    public void Start<T>(string name, Func<Task<T>> act)
    {
        var started = new Lazy<Task<object?>>(() => BoxAsync(act));
        _cases.Add(name, started);
        if (!InTheirTests)
        {
            _ = started.Value;
        }
    }

    public async Task<T> SeenAsync<T>(string name) => (T)(await _cases[name].Value)!;

    /// <summary>For the one-time teardown: every case that started has ended (a test that failed early left its case running).</summary>
    public Task EndAsync() =>
        Task.WhenAll(_cases.Values.Where(started => started.IsValueCreated).Select(started => started.Value)).ContinueWith(_ => { }, TaskScheduler.Default);

    /// <summary>
    /// A blocking call (an end-to-end run waits for its process) on a thread of its own: on the thread pool, a few cases
    /// waiting side by side would hold its threads and slow every asynchronous test and stand-in in the test host.
    /// </summary>
    public static Task<T> OnItsOwnThreadAsync<T>(Func<T> blocking) =>
        Task.Factory.StartNew(blocking, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

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
