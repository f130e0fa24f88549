using Build.Core;
using Build.Gateway;
using Build.Hardening;
using Build.Settings;
using Build.Tailnet;
using Cake.Frosting;

namespace Build.Tasks;

[TaskDescription("Audits .github/workflows offline, reports harden-runner's state on GitHub Actions, and holds the run's egress to the allowlist")]
public sealed class Harden : VerificationTask
{
    // GitHub shows at most 10 annotations of a kind per step.
    private const int AnnotationLimit = 10;

    protected override Task<string> CheckAsync(BuildContext context)
    {
        var settings = context.Run.Settings;
        var displayRoot = RepositoryRoot.Path ?? context.Environment.WorkingDirectory.FullPath;
        if (!settings.WorkflowsGiven && RepositoryRoot.Path is null && !Directory.Exists(settings.WorkflowsDirectory))
        {
            throw new CheckFailedException(Failure.Of(FailureClass.NoWorkflows,
                $"{settings.WorkflowsDirectory} does not exist and this program is not inside its repository"));
        }

        var cache = settings.IsCi ? null : AuditCache.ForThisProgram();
        var (files, findings) = WorkflowAudit.AuditDirectory(settings.WorkflowsDirectory, displayRoot, settings.WorkflowsGiven ? null : RepositoryRoot.Path,
            cache, settings.HardenProfile);
        context.State.Facts.HardenProfile = settings.HardenProfile.Name;
        var folder = Path.GetRelativePath(displayRoot, settings.WorkflowsDirectory) is var relative && !relative.StartsWith("..", StringComparison.Ordinal)
            ? relative : settings.WorkflowsDirectory;
        context.State.Facts.Findings.AddRange(findings);
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
                context.Run.Commands.Annotation(group.Key == Severity.Error ? "error" : "warning",
                    $"{finding.Message} — {finding.Fix}", finding.RuleId, finding.Path, finding.Line);
            }
        }

        if (settings.SarifPath is { } sarif)
        {
            SarifReport.Write(sarif, SarifReport.Build(findings, context.Run.Redactor.Redact, displayRoot, settings.WorkflowsDirectory,
                settings.HardenProfile));
            context.Info($"SARIF: {sarif}");
        }

        var errors = findings.Count(finding => finding.Severity == Severity.Error);
        var warnings = findings.Count - errors;
        var agent = $"{DescribeAgent(context)}; egress {settings.Egress.ToString().ToLowerInvariant()}";
        if (files == 0)
        {
            // Nothing audited proves nothing: skipped, so Harden alone on an empty folder fails with "no check ran".
            throw new CheckSkippedException($"no workflow or composite action to audit in {(settings.WorkflowsGiven ? folder : ".github/workflows")}; {agent}");
        }

        var profile = settings.HardenProfile == AuditProfile.Project ? string.Empty : $" with the {settings.HardenProfile.Name} profile " +
            $"({settings.HardenProfile.Summary})";
        var detail = $"{files} workflow(s) audited{profile}: {errors} error(s), {warnings} warning(s); {agent}";

        if (errors > 0 && settings.HardenBlocks)
        {
            throw new CheckFailedException(Failure.Of(FailureClass.WorkflowAudit, $"{errors} workflow error(s) in {folder}"));
        }

        return Task.FromResult(detail + (errors > 0 ? " (audit mode: not failing)" : string.Empty));
    }

    private static string DescribeAgent(BuildContext context)
    {
        if (!context.Run.Settings.IsGitHubActions)
        {
            return "harden-runner not checked (not on GitHub Actions)";
        }

        var agent = HardenRunnerState.Read(context.Run.Settings.HardenAgentDirectory,
            context.Environment.GetEnvironmentVariable(EnvironmentNames.GitHubEventPath));
        context.State.Facts.HardenRunner = agent;
        var tailnet = ReachesTailnet(context);
        var inForce = agent.PolicyInForce ?? "unknown";
        string? warning = null;
        if (agent.Reason is not null)
        {
            // What the agent itself said comes first: a reverted agent also lacks "Initialized".
            warning = $"harden-runner was asked for {agent.EgressPolicy ?? "an unknown"} mode but runs in {inForce} mode: {agent.Reason}. Fix: {agent.Fix}.";
        }
        else if (!agent.Running)
        {
            warning = "harden-runner is not running in this job: its egress is not monitored. Make step-security/harden-runner the job's first step.";
        }
        else if (inForce == "block" && tailnet)
        {
            warning = $"harden-runner blocks egress in a job that joins a tailnet: {AuditRules.TailnetNeedsAudit}. Fix: use " +
                "egress-policy: audit in tailnet jobs.";
        }
        else if (inForce != "block" && !tailnet)
        {
            warning = $"harden-runner runs in {inForce} mode: egress is recorded, not blocked. Switch to egress-policy: block (it can " +
                "fall back to audit silently).";
        }

        if (warning is not null)
        {
            context.Warn(warning);
            context.State.Facts.Warnings.Add(warning);
            context.Run.Commands.Annotation("warning", warning, "harden-runner");
        }

        var why = tailnet && inForce == "audit" && agent.Reason is null ? ", as a tailnet job requires" : string.Empty;
        return agent.Running ? $"harden-runner {inForce} mode{why}" : "harden-runner absent";
    }

    /// <summary>Whether a later task of this run will reach the gateway through a tailnet.</summary>
    private static bool ReachesTailnet(BuildContext context)
    {
        var settings = context.Run.Settings;
        return !context.State.Target.Equals(nameof(Harden), StringComparison.OrdinalIgnoreCase)
            && settings.Tailnet.Mode != TailnetMode.Off
            && !settings.GatewayUrl.IsLoopback
            && (settings.Tailnet.Mode != TailnetMode.Auto || TailnetAddresses.IsTailnetHost(settings.GatewayUrl));
    }
}
