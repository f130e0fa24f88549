using Build.Core;
using YamlDotNet.RepresentationModel;
using static Build.Hardening.WorkflowAudit;

namespace Build.Hardening.Rules;

internal sealed class HardenRunnerFirstRule : IAuditRule
{
    public AuditRule Rule { get; } = new(
        AuditRules.HardenRunnerFirst,
        Severity.Error,
        "a job with steps that does not start with `step-security/harden-runner`",
        "Job that does not start with harden-runner");

    public void OnJob(JobScope job)
    {
        if (HardenRunnerPolicy.FirstStep(job.Job) is { HasSteps: true, HardenRunner: null })
        {
            job.Context.Error(job.Name, AuditRules.HardenRunnerFirst, $"job {job.Name.Value} does not start with {AuditRules.HardenRunnerAction}",
                "make step-security/harden-runner the first step, with egress-policy: block");
        }
    }
}
