using Cake.Core;

namespace Build.Reporting;

/// <summary>
/// The run's one result, computed once from the task results when the last task ends. The exit code,
/// the report's status, the step summary, JUnit and the console table are all read from it.
/// A run passes only when at least one check ran and passed and none failed.
/// </summary>
public sealed record RunVerdict(bool Passed, string? Reason, string Message, string Fix)
{
    public const string NoCheckRan = "no check ran";

    public string Status => Passed ? "passed" : "failed";

    public int ExitCode { get; init; } = Passed ? 0 : 1;

    /// <summary>The headline every output shares: "passed", "failed", or "failed: no check ran".</summary>
    public string Headline => Passed ? "passed" : Reason == NoCheckRan ? $"failed: {NoCheckRan}" : "failed";

    public static RunVerdict From(TaskResults results)
    {
        var failed = results.All.Where(result => result.Status == CheckStatus.Failed).ToList();
        if (failed.Count > 0)
        {
            var first = failed[0];
            var what = failed.Count == 1 ? $"{first.Name} failed" : $"{failed.Count} checks failed; first {first.Name}";
            return new RunVerdict(false, "check failed", $"{what}: {first.Detail.TrimEnd('.')}", first.Hint ?? "see the summary above");
        }

        if (!results.All.Any(result => result.Status == CheckStatus.Passed))
        {
            var skipped = results.All.Select(result => $"{result.Name} skipped ({result.Detail.TrimEnd('.')})").ToList();
            var why = skipped.Count == 0 ? "no check was selected" : string.Join("; ", skipped);
            return new RunVerdict(false, NoCheckRan, $"{NoCheckRan}: {why}",
                $"run {Cake.Frosting.CakeHost.ScriptName} --target=Verify to run every check, or remove what made the check skip (each reason is above)");
        }

        return new RunVerdict(true, null, $"{results.All.Count(result => result.Status == CheckStatus.Passed)} check(s) passed", string.Empty);
    }

    /// <summary>The run stopped on its settings before any task (exit 2, a usage error).</summary>
    public static RunVerdict Settings(int problems) =>
        new(false, "settings", $"{problems} setting problem(s), listed above; no check ran", Gateway.FailureClass.Settings.Fix) { ExitCode = 2 };

    /// <summary>Ends the run with the verdict's exit code and one line, when it failed.</summary>
    public void ThrowIfFailed()
    {
        if (!Passed)
        {
            throw new CakeException(ExitCode, $"{Message}. Fix: {Fix}");
        }
    }
}
