using Build.Gateway;

namespace Build.Reporting;

public enum CheckStatus
{
    Passed,
    Failed,
    Skipped,
}

/// <param name="Blocks">Whether checks that need this one cannot run: it failed, or was skipped because one it needs did not pass.</param>
public sealed record TaskResult(string Name, CheckStatus Status, long DurationMs, string Detail, string? Hint, string? FailureId, bool Blocks = false);

/// <summary>What each task of this run ended with, in the order the tasks ran.</summary>
public sealed class TaskResults
{
    private readonly List<TaskResult> _results = [];

    public IReadOnlyList<TaskResult> All => _results;

    public TaskResult? Find(string name) => _results.FirstOrDefault(result => result.Name.Equals(name, StringComparison.OrdinalIgnoreCase));

    public void Pass(string name, string detail) => Set(new TaskResult(name, CheckStatus.Passed, 0, detail, null, null));

    public void Fail(string name, Failure failure) => Set(new TaskResult(name, CheckStatus.Failed, 0, failure.Reason, failure.Fix, failure.Id, Blocks: true));

    /// <summary>A check that did not run: by choice or because nothing here needs it (<paramref name="blocks"/> false), or because a check it needs
    /// did not pass.</summary>
    public void Skip(string name, string reason, bool blocks = false) => Set(new TaskResult(name, CheckStatus.Skipped, 0, reason, null, null, blocks));

    /// <summary>
    /// Called when a task ends: adds its duration to what the check recorded. A task that recorded
    /// nothing (an aggregate such as Verify, or Summary) checked nothing and is not a result.
    /// </summary>
    public void Complete(string name, TimeSpan duration)
    {
        if (Find(name) is { } result)
        {
            Set(result with { DurationMs = (long)duration.TotalMilliseconds });
        }
    }

    private void Set(TaskResult result)
    {
        var index = _results.FindIndex(existing => existing.Name.Equals(result.Name, StringComparison.OrdinalIgnoreCase));
        if (index >= 0)
        {
            _results[index] = result with { DurationMs = Math.Max(result.DurationMs, _results[index].DurationMs) };
        }
        else
        {
            _results.Add(result);
        }
    }
}
