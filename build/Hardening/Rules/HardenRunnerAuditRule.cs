using Build.Core;

namespace Build.Hardening.Rules;

/// <summary>harden-runner in a mode other than block: expected (with a reason) in a job that joins a tailnet, else a warning.</summary>
internal sealed class HardenRunnerAuditRule : IAuditRule
{
    public AuditRule Rule { get; } = new(
        AuditRules.HardenRunnerAudit,
        Severity.Warning,
        "harden-runner's `egress-policy` is not `block`; in a job that joins a tailnet the warning says that audit is required there",
        "harden-runner records egress instead of blocking it");

    public void OnJob(JobScope job)
    {
        if (HardenRunnerPolicy.FirstStep(job.Job) is not { HardenRunner: { } hardenRunner }
            || HardenRunnerPolicy.Of(hardenRunner) is not { Mode: not "block" } policy)
        {
            return;
        }

        if (HardenRunnerPolicy.TailnetStep(job.Job) is not null)
        {
            job.Context.Warning(policy.Node!, AuditRules.HardenRunnerAudit,
                $"harden-runner egress-policy is {policy.Mode} in job {job.Name.Value}, as a tailnet job requires ({AuditRules.TailnetNeedsAudit}): its " +
                    "egress is recorded, not blocked",
                    "keep audit here with disable-sudo-and-containers: true; the build's --egress=block still holds its own HTTP traffic; run jobs " +
                            "without a tailnet in block mode");
        }
        else
        {
            job.Context.Warning(policy.Node!, AuditRules.HardenRunnerAudit, $"harden-runner egress-policy is {policy.Mode}: traffic is only recorded",
                "switch to egress-policy: block with the allowed-endpoints this job needs");
        }
    }
}
