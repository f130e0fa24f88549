using System.Text.RegularExpressions;
using Build.Core;
using YamlDotNet.RepresentationModel;
using static Build.Hardening.WorkflowAudit;

namespace Build.Hardening.Rules;

/// <summary>A cache restored in a job of a workflow that publishes (a release trigger, a tag push, or a publishing step).</summary>
internal sealed partial class CachePoisoningRule : IAuditRule
{
    public AuditRule Rule { get; } = new(
        AuditRules.CachePoisoning,
        Severity.Error,
        "a cache restored (`actions/cache`, a `setup-*` action's `cache:`) in a workflow that publishes releases or packages",
        "Cache restored in a workflow that publishes");

    public void OnJob(JobScope job)
    {
        if (!Publishes(job.Workflow, job.Steps))
        {
            return;
        }

        foreach (var step in job.Steps)
        {
            if (Child(step, "uses") is not YamlScalarNode { Value: { } uses } node
                || ReleaseCaching.Match(ReleaseCaching.CacheAware.Keys, uses) is not { } action
                || uses.StartsWith(action + "/save@", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var switches = ReleaseCaching.CacheAware[action];
            if (switches.Length == 0 || switches.Any(cache => cache.IsOn(Text(Child(Child(step, "with"), cache.Input)))))
            {
                job.Context.Error(node, AuditRules.CachePoisoning,
                    $"{uses.Split('@')[0]} restores a cache in a workflow that publishes: a poisoned cache entry ends up in the release",
                    "do not restore caches in release and publishing workflows (build from a clean state)");
            }
        }
    }

    /// <summary>A release trigger, a tag push, or a step that publishes.</summary>
    private static bool Publishes(WorkflowScope workflow, IReadOnlyList<YamlMappingNode> steps)
    {
        var triggers = Child(workflow.Root, "on");
        if (workflow.HasTrigger("release") || Child(Child(triggers, "push"), "tags") is not null)
        {
            return true;
        }

        return steps.Any(step =>
            (Text(Child(step, "uses")) is { } uses && ReleaseCaching.Match(ReleaseCaching.Publishers.Keys, uses) is { } publisher
                && (ReleaseCaching.Publishers[publisher] is not { } pushes || pushes.IsOn(Text(Child(Child(step, "with"), pushes.Input)))))
            || (Text(Child(step, "run")) is { } script && PublishCommand().IsMatch(script)));
    }

    [GeneratedRegex(@"\b(?:npm|pnpm|yarn)\s+publish\b|dotnet\s+nuget\s+push\b|\bdocker\s+push\b|cargo\s+publish\b|gh\s+release\s+create\b|twine\s+upload\b|"
        + @"gem\s+push\b|poetry\s+publish\b")]
    private static partial Regex PublishCommand();
}
