namespace Build.Hardening;

/// <summary>
/// Actions that never check out or run the pull request's head: a pull_request_target or workflow_run workflow
/// whose every step is one of these (no run: step, no other action, no reusable workflow) is not reported by
/// dangerous-triggers. Each with why; a new entry needs the same reason, read from the action's own source.
/// </summary>
public static class TriggerSafeActions
{
    public static readonly IReadOnlyDictionary<string, string> All = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["actions/labeler"] = "labels a pull request from its changed file names through the API; its configuration is read from the base branch",
        ["actions/first-interaction"] = "posts a greeting through the API; reads nothing from the head",
        ["amannn/action-semantic-pull-request"] = "checks the pull request's title through the API",
        ["step-security/harden-runner"] = "monitors the runner's egress; runs no repository code",
    };

    /// <summary>True when <paramref name="uses"/> is one of these actions at any ref.</summary>
    public static bool Contains(string? uses) => All.Keys.Any(action => AuditRules.IsAction(uses, action));
}
