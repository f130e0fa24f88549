using System.Text.RegularExpressions;

namespace Build.Hardening;

/// <summary>
/// The <c>${{ … }}</c> expressions of a text, and the contexts each one reads. A context is fixed when
/// nobody outside the repository can choose its value (a SHA, a number, an outcome, a boolean): pasting
/// it into a script is not an injection. Modelled on zizmor's context capabilities
/// (zizmorcore/zizmor template_injection.rs: Fixed contexts, steps.*.outcome, needs.*.result,
/// static matrix and env values, typed inputs).
/// </summary>
public static partial class Expressions
{
    /// <summary>Contexts whose values are fixed or enumerated; <c>*</c> stands for one segment.</summary>
    private static readonly string[] FixedPatterns =
    [
        "github.sha", "github.run_id", "github.run_number", "github.run_attempt", "github.job", "github.workspace",
        "github.action_path", "github.server_url", "github.api_url", "github.graphql_url", "github.repository_id",
        "github.repository_owner_id", "github.actor_id", "github.event_name", "github.ref_type", "github.retention_days",

        // User and app names are letters, digits and '-' (an app adds "[bot]"): no shell syntax fits. Still
        // spoofable for bot conditions (see bot-conditions), but not a way to inject code.
        "github.actor", "github.triggering_actor",
        "github.workflow_sha", "github.ref_protected", "github.secret_source", "github.action_status",
        "github.event.number", "github.event.after", "github.event.before", "github.event.forced", "github.event.created", "github.event.deleted",
        "github.event.pull_request.number", "github.event.pull_request.id", "github.event.pull_request.draft", "github.event.pull_request.merged",
        "github.event.pull_request.head.sha", "github.event.pull_request.base.sha", "github.event.pull_request.head.repo.fork",
        "github.event.pull_request.head.repo.id", "github.event.issue.number", "github.event.issue.id", "github.event.repository.id",
        "github.event.workflow_run.id", "github.event.workflow_run.head_sha", "github.event.workflow_run.run_number", "github.event.workflow_run.run_attempt",
        "runner.os", "runner.arch", "runner.temp", "runner.tool_cache", "runner.debug", "runner.environment", "runner.name",
        "job.status", "job.container.id", "job.container.network", "job.services.*.id", "job.services.*.network",
        "steps.*.outcome", "steps.*.conclusion", "needs.*.result", "strategy.*",
    ];

    private static readonly string[] Roots = ["github", "env", "inputs", "matrix", "steps", "needs", "secrets", "vars", "runner", "job", "jobs", "strategy"];

    public sealed record Found(int Index, string Text, IReadOnlyList<string> Contexts)
    {
        /// <summary>The text on one line (an expression may span lines; a finding may not).</summary>
        public string OneLine => WhiteSpace().Replace(Text, " ");
    }

    /// <summary>Every expression in the text, with where it starts and the contexts it reads.</summary>
    public static IEnumerable<Found> In(string text)
    {
        foreach (Match match in Fenced().Matches(text))
        {
            var inner = match.Groups["inner"].Value;

            // Blanking the literals' contents (same length) hides words inside strings and keeps positions,
            // so a context reads as written: github.event['number'], not github.event[''].
            var code = StringLiteral().Replace(inner, literal => $"'{new string(' ', literal.Length - 2)}'");
            var contexts = Context().Matches(code)
                .Where(context => !code[(context.Index + context.Length)..].TrimStart().StartsWith('('))
                .Select(context => WhiteSpace().Replace(inner.Substring(context.Index, context.Length), string.Empty))
                .Where(context => Roots.Contains(context.Split('.', '[')[0], StringComparer.OrdinalIgnoreCase))
                .Distinct()
                .ToList();
            yield return new Found(match.Index, match.Value, contexts);
        }
    }

    /// <summary>True when the context's value is fixed or enumerated everywhere.</summary>
    public static bool IsFixed(string context)
    {
        var normal = Normalise(context);
        if (normal.Contains('[', StringComparison.Ordinal))
        {
            // An index that is not a literal (github.event[inputs.field]) can reach any field, free text included.
            return false;
        }

        var segments = normal.Split('.');
        return FixedPatterns.Any(pattern => Matches(pattern.Split('.'), segments));
    }

    /// <summary>
    /// One spelling for a context, as GitHub reads it: a quoted index is a property (<c>github['event']['number']</c>
    /// is <c>github.event.number</c>), a number index an element; names stay as written, and every comparison of
    /// them ignores case, as GitHub's does.
    /// </summary>
    public static string Normalise(string context) =>
        LiteralIndex().Replace(context, match => "." + (match.Groups["name"].Success ? match.Groups["name"].Value : "*"));

    private static bool Matches(string[] pattern, string[] segments)
    {
        return pattern.Length == segments.Length
            && pattern.Zip(segments).All(pair => pair.First == "*" || pair.First.Equals(pair.Second, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>
    /// <c>${{ … }}</c>, skipping single-quoted strings as GitHub's expression lexer does (<c>'}}'</c> does not end
    /// it; <c>''</c> is a quote inside one); an expression with an unbalanced quote ends at the first <c>}}</c>.
    /// </summary>
    [GeneratedRegex(@"\$\{\{(?<inner>(?:'(?:[^']|'')*'|[^'])*?)\}\}|\$\{\{(?<inner>.*?)\}\}", RegexOptions.Singleline)]
    private static partial Regex Fenced();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();

    [GeneratedRegex(@"\[\s*(?:'(?<name>[\w\-]+)'|""(?<name>[\w\-]+)""|\d+)\s*\]")]
    private static partial Regex LiteralIndex();

    [GeneratedRegex("'(?:[^']|'')*'")]
    private static partial Regex StringLiteral();

    [GeneratedRegex(@"(?<![\w.\-])[A-Za-z_][\w\-]*(?:\s*\.\s*(?:[\w\-]+|\*)|\s*\[[^\]]*\])*")]
    private static partial Regex Context();
}
