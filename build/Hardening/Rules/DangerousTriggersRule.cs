using System.Text.RegularExpressions;
using Build.Core;
using YamlDotNet.RepresentationModel;
using static Build.Hardening.WorkflowAudit;

namespace Build.Hardening.Rules;

internal sealed partial class DangerousTriggersRule : IAuditRule
{
    public AuditRule Rule { get; } = new(
        AuditRules.DangerousTriggers,
        Severity.Error,
        "`pull_request_target`, `workflow_run`, or a comment trigger (`issue_comment`, `pull_request_review_comment`, `pull_request_review`): an error when " +
            "the workflow brings in the untrusted head (`actions/checkout` of the pull request's ref or SHA, written directly or through `env:`, a step " +
            "output, `fromJSON` or a file from an artifact; `gh pr checkout`; `git fetch … pull/N/head`; another run's artifact downloaded into the " +
                    "workspace), naming the later step that runs code from it; a warning when a checkout's ref cannot be traced; for the first two otherwise " +
                        "a warning; nothing when every step of every job is an action that never touches the head (`TriggerSafeActions`: `actions/labeler`, " +
                        "`actions/first-interaction`, `amannn/action-semantic-pull-request`, harden-runner)",
        "Privileged trigger that can run untrusted code");

    /// <summary>Triggers whose runs hold secrets and a write token while acting on something an outsider wrote.</summary>
    private static readonly string[] PrivilegedTriggers = ["pull_request_target", "workflow_run"];

    /// <summary>Comment triggers: privileged as well, and quiet unless the workflow fetches the pull request they are about.</summary>
    private static readonly string[] CommentTriggers = ["issue_comment", "pull_request_review_comment", "pull_request_review"];

    /// <summary>How one step brings untrusted code in, and whether Harden could tell.</summary>
    private sealed record HeadFetch(YamlMappingNode Step, bool Certain, string How, string? RunsCode);

    public void OnWorkflow(WorkflowScope workflow)
    {
        var (context, jobs) = (workflow.Context, workflow.Jobs);
        // Only actions that never touch the head (TriggerSafeActions): nothing from outside can run here.
        var onlySafeActions = jobs.Count > 0 && jobs.All(job => Child(job.Job, "uses") is null
            && WorkflowScope.StepsOf(job.Job).All(step => Child(step, "run") is null && TriggerSafeActions.Contains(Text(Child(step, "uses")))));
        if (onlySafeActions)
        {
            return;
        }

        var fetches = jobs.SelectMany(job => HeadFetches(workflow, job.Job)).ToList();
        var certain = fetches.FirstOrDefault(fetch => fetch.Certain);
        var doubtful = fetches.FirstOrDefault(fetch => !fetch.Certain);
        foreach (var trigger in workflow.Triggers.Where(name => PrivilegedTriggers.Contains(name.Value) || CommentTriggers.Contains(name.Value)))
        {
            var comment = CommentTriggers.Contains(trigger.Value);
            var what = comment
                ? $"the {trigger.Value} trigger runs with secrets and a write token on comments anyone can write"
                : $"the {trigger.Value} trigger runs with secrets and a write token on events from outside the repository";
            if (certain is not null)
            {
                var runs = certain.RunsCode is null ? string.Empty : $", and {certain.RunsCode} runs code from it";
                context.Error(trigger, AuditRules.DangerousTriggers,
                    $"{what}, and this workflow checks out or downloads the untrusted head (line {certain.Step.Start.Line}: {certain.How}){runs}",
                    "use pull_request (no secrets) for untrusted code, or never check out the head here");
            }
            else if (doubtful is not null)
            {
                context.Warning(trigger, AuditRules.DangerousTriggers,
                    $"{what}; line {doubtful.Step.Start.Line} checks out {doubtful.How}, which Harden cannot trace to a trusted ref: if it can be the pull " +
                        "request's head, outside code runs here",
                        "check out github.sha (the base) or a literal ref, or move work on the head to a pull_request workflow");
            }
            else if (!comment)
            {
                context.Warning(trigger, AuditRules.DangerousTriggers, $"{what}; this workflow does not check out its head, keep it that way",
                    "prefer pull_request, workflow_dispatch or schedule");
            }
        }
    }

    /// <summary>
    /// Every step of a job that brings in the untrusted head: actions/checkout of a pull request's ref or SHA (written
    /// directly, or through an env value, a step output, fromJSON or a file read from an artifact), a script that runs
    /// gh pr checkout or fetches pull/N/head, or another run's artifact downloaded or unpacked into the workspace. A checkout
    /// whose ref Harden cannot trace is not certain.
    /// </summary>
    private static IEnumerable<HeadFetch> HeadFetches(WorkflowScope workflow, YamlMappingNode job)
    {
        var steps = WorkflowScope.StepsOf(job);
        var downloaded = false;
        for (var index = 0; index < steps.Count; index++)
        {
            var step = steps[index];
            downloaded |= Artifacts.Downloads(step);
            var how = HeadOf(workflow, step, new TraceScope(step, job, steps), out var certain) ?? (downloaded ? Artifacts.IntoWorkspace(step) : null);
            if (how is not null)
            {
                var runsCode = steps.Skip(index + 1).Prepend(step).Select(later => (later,
                    WorkspaceCode.RunBy(later))).FirstOrDefault(pair => pair.Item2 is not null);
                var running = runsCode.Item2 is null ? null : $"line {runsCode.later.Start.Line} ({runsCode.Item2})";
                yield return new HeadFetch(step, certain, how, running);
            }
        }
    }

    private static string? HeadOf(WorkflowScope workflow, YamlMappingNode step, TraceScope scope, out bool certain)
    {
        certain = true;
        var uses = Text(Child(step, "uses"));
        if (AuditRules.IsAction(uses, AuditRules.CheckoutAction))
        {
            var with = Child(step, "with");
            var written = $"{Text(Child(with, "ref"))} {Text(Child(with, "repository"))}".Trim();
            if (written.Length == 0)
            {
                return null;
            }

            var shown = written;
            if (HeadSignal().IsMatch(written))
            {
                return $"actions/checkout of {shown}";
            }

            var trace = workflow.Tracer.OfText(written, scope);
            if (trace.Texts.Select(text => HeadSignal().Match(text)).FirstOrDefault(match => match.Success) is { } traced)
            {
                return $"actions/checkout of {shown}, which comes from {traced.Value.Trim()}";
            }

            switch (trace.Class)
            {
                case TaintClass.Attacker:
                    return $"actions/checkout of {shown}, which an outsider chooses ({trace.Reason})";
                case TaintClass.Unknown:
                    certain = false;
                    return $"{shown} ({trace.Reason})";
                default:
                    return null;
            }
        }

        if (Text(Child(step, "run")) is { } script && WorkspaceCode.FetchesPullRequest(script) is { } fetch)
        {
            return $"`{fetch}`";
        }

        return null;
    }

    /// <summary>A pull request's head, however written: its ref or SHA, the triggering run's head, refs/pull/…, gh's headRef fields.</summary>
    [GeneratedRegex(@"github\.event\.pull_request\.head\.(?:sha|ref)|github\.head_ref|github\.event\.workflow_run\.head_(?:sha|branch)|refs/pull/|"
        + @"pull/[^/\n]+?/(?:head|merge)|github\.event\.pull_request\.merge_commit_sha|head\.repo|headRef(?:Oid|Name)|\.head\.(?:sha|ref)\b|"
        + @"\bhead_(?:sha|ref|branch)\b|\$\{?GITHUB_HEAD_REF\b", RegexOptions.IgnoreCase)]
    private static partial Regex HeadSignal();
}
