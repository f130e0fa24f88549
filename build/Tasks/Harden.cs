using Build.Gateway;
using Build.Hardening;
using Cake.Frosting;

namespace Build.Tasks;

[TaskDescription("Audits .github/workflows offline, reports harden-runner's state on GitHub Actions, and holds the run's egress to the allowlist")]
public sealed class Harden : VerificationTask
{
    // GitHub shows at most 10 annotations of a kind per step.
    private const int AnnotationLimit = 10;

    protected override Task<string> CheckAsync(BuildContext context)
    {
        var settings = context.Settings;
        var (files, findings) = WorkflowAudit.AuditDirectory(settings.WorkflowsDirectory, context.Environment.WorkingDirectory.FullPath);
        context.Facts.Findings.AddRange(findings);
        foreach (var finding in findings)
        {
            if (finding.Severity == Severity.Error)
            {
                context.Error(finding.OneLine);
            }
            else
            {
                context.Warn(finding.OneLine);
            }
        }

        foreach (var group in findings.GroupBy(finding => finding.Severity))
        {
            foreach (var finding in group.Take(AnnotationLimit))
            {
                context.Commands.Annotation(group.Key == Severity.Error ? "error" : "warning", $"{finding.Message} — {finding.Fix}", finding.RuleId, finding.Path, finding.Line);
            }
        }

        var errors = findings.Count(finding => finding.Severity == Severity.Error);
        var warnings = findings.Count - errors;
        var detail = files == 0
            ? $"no workflows in {settings.WorkflowsDirectory}"
            : $"{files} workflow(s) audited: {errors} error(s), {warnings} warning(s)";
        detail += $"; {DescribeAgent(context)}; egress {settings.Egress.ToString().ToLowerInvariant()}";

        if (errors > 0 && settings.HardenBlocks)
        {
            throw new CheckFailedException(Failure.Of(FailureClass.WorkflowAudit, $"{errors} workflow error(s) in {settings.WorkflowsDirectory}"));
        }

        return Task.FromResult(detail + (errors > 0 ? " (audit mode: not failing)" : string.Empty));
    }

    private static string DescribeAgent(BuildContext context)
    {
        if (!context.Settings.IsGitHubActions)
        {
            return "harden-runner not checked (not on GitHub Actions)";
        }

        var agent = HardenRunnerState.Read(context.Settings.HardenAgentDirectory);
        context.Facts.HardenRunner = agent;
        string? warning = !agent.Running
            ? "harden-runner is not running in this job: its egress is not monitored. Make step-security/harden-runner the job's first step."
            : agent.EgressPolicy != "block"
                ? $"harden-runner runs in {agent.EgressPolicy ?? "unknown"} mode: egress is recorded, not blocked. Switch to egress-policy: block (it can fall back to audit silently)."
                : null;
        if (warning is not null)
        {
            context.Warn(warning);
            context.Facts.Warnings.Add(warning);
            context.Commands.Annotation("warning", warning, "harden-runner");
        }

        return agent.Running ? $"harden-runner {agent.EgressPolicy ?? "unknown"} mode" : "harden-runner absent";
    }
}
