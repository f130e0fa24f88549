using Build.Core;
using YamlDotNet.RepresentationModel;
using static Build.Hardening.WorkflowAudit;

namespace Build.Hardening.Rules;

internal sealed class SelfHostedRunnerRule : IAuditRule
{
    private static readonly string[] ForkTriggers = ["pull_request", "pull_request_target", "issue_comment", "pull_request_review",
        "pull_request_review_comment", "discussion_comment"];

    public AuditRule Rule { get; } = new(
        AuditRules.SelfHostedRunner,
        Severity.Error,
        "a `self-hosted` runner in a workflow that pull requests from forks or issue comments trigger",
        "Self-hosted runner reachable from forks");

    public void OnJob(JobScope job)
    {
        var runsOn = Child(job.Job, "runs-on");
        var labels = runsOn switch
        {
            YamlScalarNode scalar => [scalar.Value ?? string.Empty],
            YamlSequenceNode sequence => sequence.Children.OfType<YamlScalarNode>().Select(label => label.Value ?? string.Empty).ToList(),
            YamlMappingNode group => (Child(group,
                "labels") as YamlSequenceNode)?.Children.OfType<YamlScalarNode>().Select(label => label.Value ?? string.Empty).ToList() ?? [],
            _ => new List<string>(),
        };
        if (labels.Contains("self-hosted", StringComparer.OrdinalIgnoreCase) && job.Workflow.HasTrigger(ForkTriggers))
        {
            job.Context.Error(runsOn!, AuditRules.SelfHostedRunner,
                $"job {job.Name.Value} runs on a self-hosted runner in a workflow that outside pull requests or comments trigger: " +
                    "their code runs on your machine", "run such jobs on GitHub-hosted runners, or require approval and use ephemeral runners");
        }
    }
}
