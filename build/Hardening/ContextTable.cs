namespace Build.Hardening;

/// <summary>Who can choose a value pasted into code: nobody outside (fixed), Harden cannot tell (unknown), or an outsider.</summary>
public enum TaintClass
{
    Fixed,
    Unknown,
    Attacker,
}

/// <summary>
/// One row of the context table: a pattern (<c>*</c> is one segment or part of one, <c>**</c> any number of segments),
/// its class and why.
/// </summary>
public sealed record ContextRow(string Pattern, TaintClass Class, string Reason);

/// <summary>
/// Who chooses each context's value, before any tracing (env, step outputs, job outputs, matrix and inputs are
/// traced by <see cref="TaintTracer"/> where the workflow says where they come from; this table is the answer
/// when it does not). The first row that matches wins. Modelled on zizmor's context capabilities
/// (zizmorcore/zizmor crates/zizmor/src/audit/template_injection.rs: fixed, structured, arbitrary), written here
/// from GitHub's webhook payload documentation. Secrets are not here: pasting one is secrets-in-run, not an injection.
/// </summary>
public static class ContextTable
{
    private const string Hex = "a commit SHA: hexadecimal";
    private const string Counter = "a number or id GitHub assigns";
    private const string Names = "a name GitHub restricts to letters, digits, '-', '_' and '.'";
    private const string Outcome = "one of a few fixed words (success, failure, cancelled, skipped…)";
    private const string RunnerFact = "set by the runner, not by the event";

    public static readonly IReadOnlyList<ContextRow> Rows =
    [
        new("vars.**", TaintClass.Fixed, "a configuration variable, set by the repository's admins"),
        new("github.event.inputs.**", TaintClass.Attacker, "a workflow_dispatch input: whoever starts the run types it"),
        new("github.event.client_payload.**", TaintClass.Attacker, "repository_dispatch's payload: JSON its sender writes, numbers included"),
        new("github.sha", TaintClass.Fixed, Hex),
        new("github.workflow_sha", TaintClass.Fixed, Hex),
        new("github.event.after", TaintClass.Fixed, Hex),
        new("github.event.before", TaintClass.Fixed, Hex),
        new("github.event.pull_request.head.sha", TaintClass.Fixed, Hex),
        new("github.event.pull_request.base.sha", TaintClass.Fixed, Hex),
        new("github.event.workflow_run.head_sha", TaintClass.Fixed, Hex),
        new("github.run_id", TaintClass.Fixed, Counter),
        new("github.run_number", TaintClass.Fixed, Counter),
        new("github.run_attempt", TaintClass.Fixed, Counter),
        new("github.repository_id", TaintClass.Fixed, Counter),
        new("github.repository_owner_id", TaintClass.Fixed, Counter),
        new("github.actor_id", TaintClass.Fixed, Counter),
        new("github.retention_days", TaintClass.Fixed, Counter),
        new("github.event.**.id", TaintClass.Fixed, Counter),
        new("github.event.**.number", TaintClass.Fixed, Counter),
        new("github.event.**.*_id", TaintClass.Fixed, Counter),
        new("github.event.**.*_number", TaintClass.Fixed, Counter),
        new("github.event.workflow_run.run_attempt", TaintClass.Fixed, Counter),
        new("github.event.**.author_association", TaintClass.Fixed, "one of a few fixed words (OWNER, MEMBER, CONTRIBUTOR, NONE…)"),
        new("github.event.forced", TaintClass.Fixed, "a boolean"),
        new("github.event.created", TaintClass.Fixed, "a boolean"),
        new("github.event.deleted", TaintClass.Fixed, "a boolean"),
        new("github.event.pull_request.draft", TaintClass.Fixed, "a boolean"),
        new("github.event.pull_request.merged", TaintClass.Fixed, "a boolean"),
        new("github.event.pull_request.head.repo.fork", TaintClass.Fixed, "a boolean"),
        new("github.ref_protected", TaintClass.Fixed, "a boolean"),
        new("github.event_name", TaintClass.Fixed, "the name of a GitHub event"),
        new("github.ref_type", TaintClass.Fixed, "branch or tag"),
        new("github.secret_source", TaintClass.Fixed, "Actions, Dependabot or None"),
        new("github.action_status", TaintClass.Fixed, Outcome),
        new("github.job", TaintClass.Fixed, "the job's id, written in this workflow"),
        new("github.workspace", TaintClass.Fixed, RunnerFact),
        new("github.action_path", TaintClass.Fixed, RunnerFact),
        new("github.server_url", TaintClass.Fixed, "GitHub's own address"),
        new("github.api_url", TaintClass.Fixed, "GitHub's own address"),
        new("github.graphql_url", TaintClass.Fixed, "GitHub's own address"),
        new("github.actor", TaintClass.Fixed,
            "a user or app name (letters, digits, '-', an app's [bot]): spoofable in conditions (bot-conditions), no shell syntax fits"),
        new("github.triggering_actor", TaintClass.Fixed,
            "a user or app name (letters, digits, '-', an app's [bot]): spoofable in conditions (bot-conditions), no shell syntax fits"),
        new("github.repository", TaintClass.Fixed, Names),
        new("github.repository_owner", TaintClass.Fixed, Names),
        new("github.event.repository.full_name", TaintClass.Fixed, Names),
        new("github.event.repository.name", TaintClass.Fixed, Names),
        new("github.event.repository.owner.login", TaintClass.Fixed, Names),
        new("github.head_ref", TaintClass.Attacker, "the pull request's branch name, chosen by its author (a branch name may hold $(…) and quotes)"),
        new("github.event.**", TaintClass.Attacker,
            "the event's payload: titles, bodies, branch names, labels and messages are written by whoever triggered it"),
        new("github", TaintClass.Attacker, "the whole github context, the event's payload included"),
        new("github.ref", TaintClass.Attacker, "a branch or tag name, chosen by whoever pushed it"),
        new("github.ref_name", TaintClass.Attacker, "a branch or tag name, chosen by whoever pushed it"),
        new("inputs", TaintClass.Attacker, "every input, free text included"),
        new("runner.os", TaintClass.Fixed, RunnerFact),
        new("runner.arch", TaintClass.Fixed, RunnerFact),
        new("runner.temp", TaintClass.Fixed, RunnerFact),
        new("runner.tool_cache", TaintClass.Fixed, RunnerFact),
        new("runner.debug", TaintClass.Fixed, RunnerFact),
        new("runner.environment", TaintClass.Fixed, RunnerFact),
        new("runner.name", TaintClass.Fixed, RunnerFact),
        new("job.status", TaintClass.Fixed, Outcome),
        new("job.container.id", TaintClass.Fixed, RunnerFact),
        new("job.container.network", TaintClass.Fixed, RunnerFact),
        new("job.services.*.id", TaintClass.Fixed, RunnerFact),
        new("job.services.*.network", TaintClass.Fixed, RunnerFact),
        new("steps.*.outcome", TaintClass.Fixed, Outcome),
        new("steps.*.conclusion", TaintClass.Fixed, Outcome),
        new("needs.*.result", TaintClass.Fixed, Outcome),
        new("strategy.*", TaintClass.Fixed, "a number or boolean of the job's strategy"),
        new("steps.*.outputs.*", TaintClass.Unknown, "a step's output, written at run time by a step Harden cannot read"),
        new("needs.*.outputs.*", TaintClass.Unknown, "another job's output, written at run time"),
        new("jobs.*.outputs.*", TaintClass.Unknown, "a job's output, written at run time"),
        new("env.*", TaintClass.Unknown, "not set by an env: of this file: a step or the runner sets it at run time"),
        new("matrix.*", TaintClass.Unknown, "not a literal of this job's matrix"),
        new("inputs.*", TaintClass.Unknown, "an input of an action or of a workflow that does not declare it: its caller chooses it"),
        new("**", TaintClass.Unknown, "not in Harden's table of contexts"),
    ];

    /// <summary>The table as docs/harden.md shows it (Taint classes), one row per context pattern.</summary>
    public static IEnumerable<string> MarkdownRows =>
        Rows.Select(row => $"| `{row.Pattern}` | {row.Class.ToString().ToLowerInvariant()} | {row.Reason} |");

    /// <summary>The first row whose pattern matches the context (spelled as <see cref="Expressions.Normalise"/> gives it).</summary>
    public static ContextRow Classify(string context)
    {
        var normal = Expressions.Normalise(context);

        if (normal.Contains('[', StringComparison.Ordinal))
        {
            return normal.StartsWith("github", StringComparison.OrdinalIgnoreCase) || normal.StartsWith("inputs", StringComparison.OrdinalIgnoreCase)
                ? ComputedIndex
                : Rows[^1];
        }

        var segments = normal.Split('.');
        return Rows.First(row => Matches(row.Pattern.Split('.'), 0, segments, 0));
    }

    /// <summary>An index that is not a literal (github.event[inputs.field]) can reach any field, free text included.</summary>
    private static readonly ContextRow ComputedIndex = new("github[…]", TaintClass.Attacker,
        "an index computed at run time can reach any field of the event, free text included");

    private static bool Matches(string[] pattern, int at, string[] segments, int from)
    {
        if (at == pattern.Length)
        {
            return from == segments.Length;
        }

        if (pattern[at] == "**")
        {
            for (var skip = from; skip <= segments.Length; skip++)
            {
                if (Matches(pattern, at + 1, segments, skip))
                {
                    return true;
                }
            }

            return false;
        }

        return from < segments.Length && SegmentMatches(pattern[at], segments[from]) && Matches(pattern, at + 1, segments, from + 1);
    }

    /// <summary>A segment against a pattern segment: <c>*</c> alone is any segment; <c>*_id</c> any ending in _id. Case is ignored, as GitHub ignores
    /// it.</summary>
    private static bool SegmentMatches(string pattern, string segment) =>
        pattern == "*" ? segment.Length > 0
        : pattern.StartsWith('*') ? segment.Length > pattern.Length - 1 && segment.EndsWith(pattern[1..], StringComparison.OrdinalIgnoreCase)
        : pattern.Equals(segment, StringComparison.OrdinalIgnoreCase);
}
