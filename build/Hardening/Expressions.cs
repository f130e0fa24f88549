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

    /// <summary>True when nobody outside the repository can choose the context's value (<see cref="ContextTable"/>).</summary>
    public static bool IsFixed(string context) => ContextTable.Classify(context).Class == TaintClass.Fixed;

    /// <summary>
    /// One spelling for a context, as GitHub reads it: a quoted index is a property (<c>github['event']['number']</c>
    /// is <c>github.event.number</c>), a number index an element; names stay as written, and every comparison of
    /// them ignores case, as GitHub's does.
    /// </summary>
    public static string Normalise(string context) =>
        LiteralIndex().Replace(context, match => "." + (match.Groups["name"].Success ? match.Groups["name"].Value : "*"));

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
