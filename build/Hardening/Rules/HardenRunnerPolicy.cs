using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;
using static Build.Hardening.WorkflowAudit;

namespace Build.Hardening.Rules;

/// <summary>What the three harden-runner rules read of a job: its first step, the egress policy it sets, and the step that joins a tailnet.</summary>
internal static partial class HardenRunnerPolicy
{
    public readonly record struct First(bool HasSteps, YamlMappingNode? HardenRunner);

    public readonly record struct Policy(YamlScalarNode? Node, string Mode);

    /// <summary>This build's targets that run ConnectTailnet (Default is Verify; Summary depends on every check).</summary>
    private static readonly string[] TailnetTargets = ["Verify", "Default", "Summary", "ConnectTailnet", "HealthCheck", "KeyCheck", "ChatSmoke"];

    /// <summary>Whether the job has steps, and its first step when that is harden-runner.</summary>
    public static First FirstStep(YamlMappingNode job)
    {
        if (Child(job, "steps") is not YamlSequenceNode { Children.Count: > 0 } steps)
        {
            return new First(false, null);
        }

        var first = steps.Children[0] as YamlMappingNode;
        return new First(true, AuditRules.IsAction(Text(Child(first, "uses")), AuditRules.HardenRunnerAction) ? first : null);
    }

    /// <summary>harden-runner's egress-policy input, or its default when omitted.</summary>
    public static Policy Of(YamlMappingNode hardenRunner)
    {
        var node = Child(Child(hardenRunner, "with"), "egress-policy") as YamlScalarNode;
        return new Policy(node, node?.Value ?? AuditRules.HardenRunnerDefaultPolicy);
    }

    /// <summary>
    /// The first step that joins a tailnet: tailscale/github-action, or this build run with a target
    /// that reaches the gateway (every target but Harden; a target set at run time counts).
    /// </summary>
    public static YamlNode? TailnetStep(YamlMappingNode job)
    {
        foreach (var step in StepWalk.StepsOf(Child(job, "steps")))
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
