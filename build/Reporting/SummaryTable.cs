using Build.Security;
using Spectre.Console;

namespace Build.Reporting;

/// <summary>The console table and the Markdown step summary, both from the same results.</summary>
public static class SummaryTable
{
    public static void WriteConsole(IAnsiConsole console, TaskResults results, Redactor redactor)
    {
        var table = new Table().Border(TableBorder.Rounded).Title(results.AnyFailed ? "[red]Verify failed[/]" : "[green]Verify passed[/]");
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
        }

        console.Write(table);
    }

    public static string Markdown(TaskResults results, RunFacts facts, EgressPolicy egress, Redactor redactor)
    {
        var lines = new List<string>
        {
            $"### LiteLLM gateway verification: {(results.AnyFailed ? "❌ failed" : "✅ passed")}",
            string.Empty,
            "| Task | Status | Duration | Detail |",
            "|---|---|---|---|",
        };
        foreach (var result in results.All)
        {
            var detail = Cell(redactor.Redact(result.Detail));
            if (result.Hint is not null)
            {
                detail += $"<br>**Fix:** {Cell(redactor.Redact(result.Hint))}";
            }

            var icon = result.Status switch { CheckStatus.Passed => "✅", CheckStatus.Failed => "❌", _ => "⏭️" };
            lines.Add($"| {result.Name} | {icon} {result.Status.ToString().ToLowerInvariant()} | {result.DurationMs} ms | {detail} |");
        }

        if (facts.Findings.Count > 0)
        {
            lines.Add(string.Empty);
            lines.Add("Workflow findings:");
            lines.Add(string.Empty);
            lines.AddRange(facts.Findings.Select(finding => $"- `{finding.Path}:{finding.Line}` {finding.Severity.ToString().ToLowerInvariant()} **{finding.RuleId}**: {Cell(redactor.Redact(finding.Message))} — {Cell(finding.Fix)}"));
        }

        foreach (var note in facts.Notes)
        {
            lines.Add(string.Empty);
            lines.Add($"> {Cell(redactor.Redact(note))}");
        }

        foreach (var warning in facts.Warnings)
        {
            lines.Add(string.Empty);
            lines.Add($"> ⚠️ {Cell(redactor.Redact(warning))}");
        }

        if (egress.Destinations.Count > 0)
        {
            lines.Add(string.Empty);
            lines.Add($"Egress ({egress.Mode.ToString().ToLowerInvariant()} mode): " + string.Join(", ", egress.Destinations.Select(record =>
                $"{redactor.Redact(record.Origin)}{(record.Blocked ? " (blocked)" : record.Allowed ? string.Empty : " (not on the allowlist)")}")));
        }

        return string.Join('\n', lines) + "\n";
    }

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).ReplaceLineEndings(" ");
}
