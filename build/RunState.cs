using Build.Reporting;
using Build.Tailnet;

namespace Build;

/// <summary>What a run learns and decides as its tasks go: results, facts for the report, the verdict, the tailnet session, cancellation.</summary>
public sealed class RunState
{
    public TaskResults Results { get; } = new();

    public RunFacts Facts { get; } = new();

    /// <summary>Cancelled by Ctrl-C, SIGTERM or SIGHUP (the lifetime): the running task stops and teardown cleans up.</summary>
    public CancellationTokenSource Cancellation { get; } = new();

    public string Target { get; set; } = "Verify";

    public bool ReportPublished { get; set; }

    /// <summary>The target runs no check (an aggregate with --exclusive): the run fails without a report of checks.</summary>
    public bool NoCheckRequested { get; set; }

    public TailnetSession? Tailnet { get; set; }

    /// <summary>The one verdict of the run, fixed the first time it is asked for: the exit code, report, summary and JUnit all read it.</summary>
    public RunVerdict? Verdict { get; private set; }

    public RunVerdict Conclude() => Verdict ??= RunVerdict.From(Results);

    public RunVerdict FailOnSettings(int problems) => Verdict = RunVerdict.Settings(problems);
}
