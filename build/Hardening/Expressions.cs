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

        // Repository and owner names are letters, digits, '-', '_' and '.' (owner/name): no shell syntax fits.
        "github.repository", "github.repository_owner", "github.event.repository.full_name", "github.event.repository.name",
        "github.event.repository.owner.login",
    ];

    /// <summary>Roots under github.event whose fields the sender writes freely, numbers included (JSON of their choosing).</summary>
    private static readonly string[] FreeFormEventRoots = ["github.event.inputs", "github.event.client_payload"];

    private static readonly string[] Roots = ["github", "env", "inputs", "matrix", "steps", "needs", "secrets", "vars", "runner", "job", "jobs", "strategy"];

    public sealed record Found(int Index, string Text, IReadOnlyList<string> Contexts, bool IsBoolean = false)
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
            yield return new Found(match.Index, match.Value, contexts, IsBooleanValued(code));
        }
    }

    /// <summary>
    /// Whether the expression's value is true or false whatever its contexts hold: a comparison, a negation, or one
    /// call of contains/startsWith/endsWith, with no <c>&amp;&amp;</c> or <c>||</c> (those return an operand, not a
    /// boolean). <paramref name="code"/> has its string literals blanked.
    /// </summary>
    public static bool IsBooleanValued(string code)
    {
        var text = code.Trim();
        if (text.Contains("&&", StringComparison.Ordinal) || text.Contains("||", StringComparison.Ordinal))
        {
            return false;
        }

        if (text.StartsWith('!') && !text.StartsWith("!=", StringComparison.Ordinal))
        {
            return true;
        }

        var depth = 0;
        for (var index = 0; index < text.Length; index++)
        {
            depth += text[index] switch { '(' or '[' => 1, ')' or ']' => -1, _ => 0 };
            if (depth == 0 && (text[index] is '<' or '>' || (text[index] is '=' or '!' && index + 1 < text.Length && text[index + 1] == '=')))
            {
                return true;
            }
        }

        return BooleanCall().Match(text) is { Success: true } call && ClosesAtEnd(text, call.Length - 1);
    }

    /// <summary>Whether the parenthesis at <paramref name="open"/> closes at the text's last character.</summary>
    private static bool ClosesAtEnd(string text, int open)
    {
        var depth = 0;
        for (var index = open; index < text.Length; index++)
        {
            depth += text[index] switch { '(' => 1, ')' => -1, _ => 0 };
            if (depth == 0)
            {
                return index == text.Length - 1;
            }
        }

        return false;
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
        return FixedPatterns.Any(pattern => Matches(pattern.Split('.'), segments)) || IsFixedEventField(normal, segments);
    }

    /// <summary>
    /// Fields of a webhook payload that GitHub fills with numbers or a fixed word: ids and numbers (<c>*.id</c>,
    /// <c>*.number</c>, <c>*_id</c>, <c>*_number</c>) and <c>author_association</c> (OWNER, MEMBER, NONE…). Not
    /// under the free-form roots (workflow_dispatch inputs, repository_dispatch's client_payload).
    /// </summary>
    private static bool IsFixedEventField(string normal, string[] segments)
    {
        if (segments.Length < 3 || !segments[0].Equals("github", StringComparison.OrdinalIgnoreCase) || !segments[1].Equals("event", StringComparison.OrdinalIgnoreCase)
            || FreeFormEventRoots.Any(root => normal.StartsWith(root + ".", StringComparison.OrdinalIgnoreCase) || normal.Equals(root, StringComparison.OrdinalIgnoreCase)))
        {
            return false;
        }

        var last = segments[^1].ToLowerInvariant();
        return last is "id" or "number" or "author_association" || last.EndsWith("_id", StringComparison.Ordinal) || last.EndsWith("_number", StringComparison.Ordinal);
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

    [GeneratedRegex(@"^(?:contains|startsWith|endsWith)\s*\(", RegexOptions.IgnoreCase)]
    private static partial Regex BooleanCall();

    [GeneratedRegex(@"\[\s*(?:'(?<name>[\w\-]+)'|""(?<name>[\w\-]+)""|\d+)\s*\]")]
    private static partial Regex LiteralIndex();

    [GeneratedRegex("'(?:[^']|'')*'")]
    private static partial Regex StringLiteral();

    [GeneratedRegex(@"(?<![\w.\-])[A-Za-z_][\w\-]*(?:\s*\.\s*(?:[\w\-]+|\*)|\s*\[[^\]]*\])*")]
    private static partial Regex Context();
}
