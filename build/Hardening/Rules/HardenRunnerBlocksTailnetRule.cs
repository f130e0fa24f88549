using Build.Core;
using YamlDotNet.RepresentationModel;

namespace Build.Hardening.Rules;

/// <summary>Block mode drops a tailnet's traffic: a job that joins one needs audit mode.</summary>
internal sealed class HardenRunnerBlocksTailnetRule : IAuditRule
{
    public AuditRule Rule { get; } = new(
        AuditRules.HardenRunnerBlocksTailnet,
        Severity.Error,
        "a job that joins a tailnet (uses `tailscale/github-action`, runs `tailscale up`, or runs `build.sh`/`build.ps1` with a target that reaches it: " +
            "none, a variable, `Verify`, `Default`, `Summary`, `ConnectTailnet`, `HealthCheck`, `KeyCheck`, `ChatSmoke`; not with `--tailnet=off`) under " +
            "harden-runner's block mode (also when `egress-policy` is omitted: block is its default)",
        "harden-runner block mode in a job that joins a tailnet");

    public void OnJob(JobScope job)
    {
        if (HardenRunnerPolicy.FirstStep(job.Job) is not { HardenRunner: { } hardenRunner }
            || HardenRunnerPolicy.Of(hardenRunner) is not { Mode: "block" } policy
            || HardenRunnerPolicy.TailnetStep(job.Job) is not { } tailnetStep)
        {
            return;
        }

        job.Context.Error(
            policy.Node ?? (YamlNode)hardenRunner,
            AuditRules.HardenRunnerBlocksTailnet,
            $"job {job.Name.Value} joins a tailnet (line {tailnetStep.Start.Line}) under harden-runner's block mode: {AuditRules.TailnetNeedsAudit}",
            "use egress-policy: audit in this job, keep disable-sudo-and-containers: true, and keep the build's own --egress=block");
    }
}
