using System.Text;
using Build.Core;
using Build.Security;
using Spectre.Console;

namespace Build.Reporting;

/// <summary>The console table and the Markdown step summary, both from the same results.</summary>
public static class SummaryTable
{
    /// <summary>GitHub takes 1 MiB of step summary; a verification summary has no reason to come near it.</summary>
    public const int MaxMarkdownBytes = 64 * 1024;

    public static void WriteConsole(IAnsiConsole console, TaskResults results, RunVerdict verdict, Redactor redactor, RunFacts? facts = null)
    {
        var title = $"[{(verdict.Passed ? "green" : "red")}]Verify {verdict.Headline}[/]";
        var table = new Table().Border(TableBorder.Rounded).Title(title);
        table.AddColumns("Task", "Status", "Duration", "Detail");
        foreach (var result in results.All)
        {
            var status = result.Status switch
            {
                CheckStatus.Passed => "[green]passed[/]",
                CheckStatus.Failed => "[red]failed[/]",
                _ => "[yellow]skipped[/]",
            };
            var detail = redactor.Redact(result.Detail);
            if (result.Hint is not null)
            {
                detail += $"\nFix: {redactor.Redact(result.Hint)}";
            }

            table.AddRow(new Markup(Markup.Escape(result.Name)), new Markup(status), new Text($"{result.DurationMs} ms"), new Text(detail));
            foreach (var model in ModelRows(result, facts))
            {
                var modelDetail = redactor.Redact(model.Detail) + (model.Failure is { } failure ? $"\nFix: {redactor.Redact(failure.Fix)}" : string.Empty);
                table.AddRow(new Text($"  {redactor.Redact(model.Model)}"), new Markup(model.Passed ? "[green]passed[/]" : "[red]failed[/]"),
                    new Text(model.Outcome is { } outcome ? $"{outcome.LatencyMs} ms" : "-"), new Text(modelDetail));
            }
        }

        console.Write(table);
    }

    public static string Markdown(TaskResults results, RunVerdict verdict, RunFacts facts, EgressPolicy egress, Redactor redactor)
    {
        string Text(string text) => Escape(redactor.Redact(text));
        var lines = new List<string>
        {
            $"### LiteLLM gateway verification: {(verdict.Passed ? "✅" : "❌")} {verdict.Headline}",
            string.Empty,
            "| Task | Status | Duration | Detail |",
            "|---|---|---|---|",
        };
        if (!verdict.Passed)
        {
            lines.Insert(1, string.Empty);
            lines.Insert(2, $"{Text(verdict.Message)}. **Fix:** {Text(verdict.Fix)}");
        }

        foreach (var result in results.All)
        {
            var detail = Text(result.Detail);
            if (result.Hint is not null)
            {
                detail += $"<br>**Fix:** {Text(result.Hint)}";
            }

            var icon = result.Status switch { CheckStatus.Passed => "✅", CheckStatus.Failed => "❌", _ => "⏭️" };
            lines.Add($"| {result.Name} | {icon} {result.Status.ToString().ToLowerInvariant()} | {result.DurationMs} ms | {detail} |");
            foreach (var model in ModelRows(result, facts))
            {
                var modelDetail = Text(model.Detail) + (model.Failure is { } failure ? $"<br>**Fix:** {Text(failure.Fix)}" : string.Empty);
                lines.Add($"| ↳ {Text(model.Model)} | {(model.Passed ? "✅ passed" : "❌ failed")} | " +
                    $"{(model.Outcome is { } outcome ? $"{outcome.LatencyMs} ms" : "-")} | {modelDetail} |");
            }
        }

        if (facts.Findings.Count > 0)
        {
            lines.Add(string.Empty);
            lines.Add("Workflow findings:");
            lines.Add(string.Empty);
            lines.AddRange(facts.Findings.Select(finding => $"- `{finding.Path}:{finding.Line}` {finding.Severity.ToString().ToLowerInvariant()} " +
                $"**{finding.RuleId}**: {Text(finding.Message)} — {Text(finding.Fix)}"));
        }

        foreach (var note in facts.Notes)
        {
            lines.Add(string.Empty);
            lines.Add($"> {Text(note)}");
        }

        foreach (var warning in facts.Warnings)
        {
            lines.Add(string.Empty);
            lines.Add($"> ⚠️ {Text(warning)}");
        }

        if (egress.Destinations.Count > 0)
        {
            lines.Add(string.Empty);
            lines.Add($"Egress ({egress.Mode.ToString().ToLowerInvariant()} mode): " + string.Join(", ", egress.Destinations.Select(record =>
                $"{Text(record.Origin)} " +
                    $"({RunReport.HostKind(record.Origin)}{(record.Blocked ? ", blocked" : record.Allowed ? string.Empty : ", not on the allowlist")})")));
        }

        return Capped(string.Join('\n', lines) + "\n");
    }

    /// <summary>ChatSmoke's per-model rows, right under its own row.</summary>
    public static IEnumerable<Gateway.ModelResult> ModelRows(TaskResult result, RunFacts? facts) =>
        result.Name == nameof(Tasks.ChatSmoke) && facts is not null ? facts.Models : [];

    /// <summary>
    /// Text from the gateway is literal in the summary: Markdown and HTML characters are escaped, so a
    /// gateway cannot add links, images or tags, and a masked value (***) stays three asterisks.
    /// </summary>
    public static string Escape(string text)
    {
        var result = new StringBuilder(text.Length);
        foreach (var character in text.ReplaceLineEndings(" "))
        {
            switch (character)
            {
                case '<':
                    result.Append("&lt;");
                    break;
                case '>':
                    result.Append("&gt;");
                    break;
                case '&':
                    result.Append("&amp;");
                    break;
                case '\\' or '`' or '*' or '_' or '[' or ']' or '(' or ')' or '#' or '|' or '!' or '~' or '{' or '}':
                    result.Append('\\').Append(character);
                    break;
                default:
                    result.Append(character);
                    break;
            }
        }

        return result.ToString();
    }

    private static string Capped(string markdown)
    {
        if (Encoding.UTF8.GetByteCount(markdown) <= MaxMarkdownBytes)
        {
            return markdown;
        }

        const string note = "\n\n(The summary was cut at 64 KiB; the JSON report has every detail.)\n";
        var cut = markdown;
        while (Encoding.UTF8.GetByteCount(cut) + note.Length > MaxMarkdownBytes)
        {
            cut = cut[..(cut.Length * 9 / 10)];
        }

        return cut[..(cut.LastIndexOf('\n') is var line and > 0 ? line : cut.Length)] + note;
    }
}
