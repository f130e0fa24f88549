using System.Text.RegularExpressions;
using Build.Core;
using YamlDotNet.RepresentationModel;
using static Build.Hardening.WorkflowAudit;

namespace Build.Hardening.Rules;

internal sealed partial class ExcessivePermissionsRule : IAuditRule
{
    public AuditRule Rule { get; } = new(
        AuditRules.ExcessivePermissions,
        Severity.Error,
        "as zizmor judges it: with no permissions anywhere, each job without its own (always a job that calls a reusable workflow; not a normal job of a " +
            "`workflow_call`-only workflow, whose caller decides); at the top, only when several jobs lean on it: `write-all`, `read-all` or a `write` (no " +
            "top-level permissions at all is reported once per job that leans on it, not also at the top); `write-all` on a job, or at the top of a " +
                    "one-job workflow (`read-all` there: a warning); a warning for each write scope a job holds that no step can use (no `git push`, `gh` or " +
                        "API call, no token passed on, no action of `TokenScopes` that needs it)",
        "Token permissions broader than the jobs need");

    /// <summary>
    /// As zizmor judges them (zizmorcore/zizmor crates/zizmor/src/audit/excessive_permissions.rs): the
    /// top level only matters when several jobs lean on it and the workflow is not reusable-only; a job
    /// without permissions under a workflow without them runs with the repository's default token; a job
    /// that calls a reusable workflow must say what it grants, since the called workflow gets that token.
    /// </summary>
    public void OnWorkflow(WorkflowScope workflow)
    {
        var (context, root, jobs) = (workflow.Context, workflow.Root, workflow.Jobs);
        var key = root.Children.Keys.OfType<YamlScalarNode>().FirstOrDefault(name => name.Value == "permissions");
        var allJobsHave = jobs.All(job => Child(job.Job, "permissions") is not null);
        var callOnly = workflow.Triggers.Count == 1 && workflow.Triggers[0].Value == "workflow_call";
        if (!(jobs.Count == 1 || allJobsHave || callOnly))
        {
            // No top-level permissions: each job without its own is reported below, once (not twice, as before).
            switch (key is null ? null : root.Children[key])
            {
                case YamlScalarNode { Value: "write-all" or "read-all" } scalar:
                    context.Error(scalar, AuditRules.ExcessivePermissions, $"top-level permissions: {scalar.Value} applies to every job without its own",
                        "list only what is needed, e.g. `permissions: contents: read`");
                    break;
                case YamlMappingNode mapping:
                    foreach (var (scope, level) in Pairs(mapping))
                    {
                        if (Text(level) == "write")
                        {
                            context.Error(scope, AuditRules.ExcessivePermissions,
                                $"top-level permission {scope.Value}: write applies to every job without its own", "grant write on the one job that needs it");
                        }
                    }

                    break;
            }
        }

        foreach (var (name, job) in jobs)
        {
            var reusable = Child(job, "uses") is not null;

            // A single job's grant is the top level's: write-all or read-all there is that job's (stricter than zizmor, which calls it pedantic).
            var own = Child(job, "permissions") ?? (jobs.Count == 1 && key is not null ? root.Children[key] : null);
            switch (own)
            {
                case null when key is null && reusable:
                    context.Error(name, AuditRules.ExcessivePermissions,
                        $"job {name.Value} calls a reusable workflow without permissions: the caller decides what the called workflow's token may do, and " +
                            "here that is the repository's default",
                            "give the job the permissions the called workflow needs, e.g. `permissions: contents: read`");
                    break;
                case null when key is null && !callOnly:
                    context.Error(name, AuditRules.ExcessivePermissions,
                        $"job {name.Value} has no permissions and the workflow none either: its token gets the repository's default (often write)",
                        "add `permissions:` to the job (or the workflow), e.g. `contents: read`");
                    break;
                case YamlScalarNode { Value: "write-all" } scalar:
                    context.Error(scalar, AuditRules.ExcessivePermissions, $"job {name.Value} has permissions: write-all",
                        "list the scopes the job needs, each with write only where it writes");
                    break;
                case YamlScalarNode { Value: "read-all" } scalar:
                    context.Warning(scalar, AuditRules.ExcessivePermissions, $"job {name.Value} has permissions: read-all",
                        "list the scopes the job reads, e.g. `contents: read`");
                    break;
                case YamlMappingNode scopes:
                    CheckWritesByNeed(context, name, job, scopes);
                    break;
            }
        }
    }

    /// <summary>
    /// Each write scope a job holds (its own, or a single job's top level) needs a step that can use it: a git push,
    /// a gh or API call, the token passed on, or an action that needs it (TokenScopes). One nothing uses is a warning.
    /// </summary>
    private static void CheckWritesByNeed(FileContext context, YamlScalarNode name, YamlMappingNode job, YamlMappingNode scopes)
    {
        if (Child(job, "uses") is not null)
        {
            return; // a reusable workflow: what it does with the token is in another file
        }

        var steps = WorkflowScope.StepsOf(job);
        var scripts = string.Join('\n', steps.Select(step => Text(Child(step, "run")) ?? string.Empty));
        var passesToken = steps.Any(step => new[] { Child(step, "with"), Child(step,
            "env") }.SelectMany(Pairs).Any(pair => Text(pair.Value) is { } value && TokenReference().IsMatch(value)))
            || Pairs(Child(job, "env")).Any(pair => Text(pair.Value) is { } value && TokenReference().IsMatch(value));
        var scriptsWrite = TokenUse().IsMatch(scripts);
        foreach (var (scope, level) in Pairs(scopes))
        {
            if (Text(level) != "write" || scope.Value is null)
            {
                continue;
            }

            var used = passesToken || scriptsWrite
                || (scope.Value == "id-token" && BuildScript().IsMatch(scripts))
                || steps.Any(step => Text(Child(step, "uses")) is { } uses && TokenScopes.MayUse(uses, scope.Value));
            if (!used)
            {
                context.Warning(scope, AuditRules.ExcessivePermissions,
                    $"job {name.Value} holds {scope.Value}: write, but no step uses it (no git push, gh or API call, no token passed " +
                        "on, no action known to need it)", $"drop {scope.Value}: write (or make it read)");
            }
        }
    }

    [GeneratedRegex(@"secrets\.GITHUB_TOKEN|github\.token", RegexOptions.IgnoreCase)]
    private static partial Regex TokenReference();

    [GeneratedRegex(@"\bgit\s+push\b|(?:^|[\s;&|(])gh\s+[a-z]|api\.github\.com|GITHUB_TOKEN|GH_TOKEN|github\.token",
        RegexOptions.IgnoreCase | RegexOptions.Multiline)]
    private static partial Regex TokenUse();

    [GeneratedRegex(@"(?:^|[\s;&|(])(?:exec\s+)?(?:\./|\.\\)?build\.(?:sh|ps1)\b", RegexOptions.Multiline)]
    private static partial Regex BuildScript();
}
