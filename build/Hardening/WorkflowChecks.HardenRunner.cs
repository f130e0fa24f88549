using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;
using static Build.Hardening.WorkflowAudit;

namespace Build.Hardening;

internal sealed partial class WorkflowChecks
{
    /// <summary>Block mode everywhere, except in a job that joins a tailnet, where it drops the tailnet's traffic.</summary>
    private void CheckHardenRunnerPolicy(YamlScalarNode job, YamlMappingNode hardenRunner, YamlNode? tailnetStep)
    {
        var policyNode = Child(Child(hardenRunner, "with"), "egress-policy") as YamlScalarNode;
        var policy = policyNode?.Value ?? AuditRules.HardenRunnerDefaultPolicy;
        if (tailnetStep is not null && policy == "block")
        {
            context.Error(
                policyNode ?? (YamlNode)hardenRunner,
                AuditRules.HardenRunnerBlocksTailnet,
                $"job {job.Value} joins a tailnet (line {tailnetStep.Start.Line}) under harden-runner's block mode: {AuditRules.TailnetNeedsAudit}",
                "use egress-policy: audit in this job, keep disable-sudo-and-containers: true, and keep the build's own --egress=block");
        }
        else if (policy != "block")
        {
            if (tailnetStep is not null)
            {
                context.Warning(policyNode!, AuditRules.HardenRunnerAudit, $"harden-runner egress-policy is {policy} in job {job.Value}, as a tailnet job requires ({AuditRules.TailnetNeedsAudit}): its egress is recorded, not blocked", "keep audit here with disable-sudo-and-containers: true; the build's --egress=block still holds its own HTTP traffic; run jobs without a tailnet in block mode");
            }
            else
            {
                context.Warning(policyNode!, AuditRules.HardenRunnerAudit, $"harden-runner egress-policy is {policy}: traffic is only recorded", "switch to egress-policy: block with the allowed-endpoints this job needs");
            }
        }
    }

    /// <summary>
    /// The first step that joins a tailnet: tailscale/github-action, or this build run with a target
    /// that reaches the gateway (every target but Harden; a target set at run time counts).
    /// </summary>
    private static YamlNode? TailnetStep(YamlSequenceNode steps)
    {
        foreach (var step in StepWalk.StepsOf(steps))
        {
            if (Child(step, "uses") is YamlScalarNode { Value: { } uses } node && AuditRules.IsAction(uses, AuditRules.TailscaleAction))
            {
                return node;
            }

            if (Child(step, "run") is YamlScalarNode { Value: { } script } run
                && (TailscaleUp().IsMatch(script) || BuildInvocation().Matches(script).Any(invocation => ReachesTailnet(invocation.Groups["args"].Value))))
            {
                return run;
            }
        }

        return null;
    }

    /// <summary>This build's targets that run ConnectTailnet (Default is Verify; Summary depends on every check).</summary>
    private static readonly string[] TailnetTargets = ["Verify", "Default", "Summary", "ConnectTailnet", "HealthCheck", "KeyCheck", "ChatSmoke"];

    /// <summary>
    /// Whether this invocation of build.sh can join a tailnet: a Verify-family target, or no target (Default), or
    /// one set from a variable (it may be Verify). Another build's ./build.sh --target=Test or Pack cannot.
    /// </summary>
    private static bool ReachesTailnet(string arguments)
    {
        if (TailnetOff().IsMatch(arguments))
        {
            return false;
        }

        var target = TargetArgument().Match(arguments);
        return !target.Success || TailnetTargets.Contains(target.Groups["target"].Value, StringComparer.OrdinalIgnoreCase);
    }

    [GeneratedRegex(@"(?:^|[\s;&|(])(?:sudo\s+)?tailscale\s+(?:--\S+\s+)*up\b", RegexOptions.Multiline)]
    private static partial Regex TailscaleUp();

    [GeneratedRegex(@"(?:^|[\s;&|(])(?:\./|\.\\)?build\.(?:sh|ps1)\b(?<args>[^\n]*)", RegexOptions.Multiline)]
    private static partial Regex BuildInvocation();

    [GeneratedRegex(@"(?:--target|-t)(?:=|\s+)[""']?(?<target>[A-Za-z]+)[""']?(?=\s|$)")]
    private static partial Regex TargetArgument();

    [GeneratedRegex(@"--tailnet=[""']?off\b")]
    private static partial Regex TailnetOff();
}
