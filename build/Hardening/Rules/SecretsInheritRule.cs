using Build.Core;
using YamlDotNet.RepresentationModel;
using static Build.Hardening.WorkflowAudit;

namespace Build.Hardening.Rules;

internal sealed class SecretsInheritRule : IAuditRule
{
    public AuditRule Rule { get; } = new(
        AuditRules.SecretsInherit,
        Severity.Error,
        "`secrets: inherit`",
        "Every secret passed to a reusable workflow");

    public void OnJob(JobScope job)
    {
        if (Child(job.Job, "secrets") is YamlScalarNode { Value: "inherit" } inherit)
        {
            job.Context.Error(inherit, AuditRules.SecretsInherit, $"job {job.Name.Value} passes every secret to the called workflow",
                "pass the secrets it needs by name");
        }
    }
}
