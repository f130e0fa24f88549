using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;
using static Build.Hardening.WorkflowAudit;

namespace Build.Hardening;

/// <summary>The rules, applied to one loaded workflow (or composite action).</summary>
internal sealed partial class WorkflowChecks(FileContext context, YamlMappingNode root)
{
    private static readonly string[] ForkTriggers = ["pull_request", "pull_request_target", "issue_comment", "pull_request_review", "pull_request_review_comment", "discussion_comment"];

    private IReadOnlyList<YamlScalarNode> _triggers = [];
    private TaintTracer _tracer = new(root, new Dictionary<string, string>(), isAction: true);
    private Dictionary<string, string> _inputTypes = new(StringComparer.Ordinal);

    private bool HasTrigger(params string[] names) => _triggers.Any(trigger => names.Contains(trigger.Value, StringComparer.Ordinal));

    public void Run()
    {
        var triggers = Child(root, "on") ?? Child(root, "true");
        _triggers = triggers switch
        {
            YamlScalarNode scalar => [scalar],
            YamlSequenceNode sequence => sequence.Children.OfType<YamlScalarNode>().ToList(),
            YamlMappingNode mapping => mapping.Children.Keys.OfType<YamlScalarNode>().ToList(),
            _ => [],
        };
        foreach (var trigger in new[] { "workflow_dispatch", "workflow_call" })
        {
            foreach (var (name, input) in Pairs(Child(Child(triggers, trigger), "inputs")))
            {
                _inputTypes[name.Value!] = Text(Child(input, "type")) ?? "string";
            }
        }

        _tracer = new TaintTracer(root, _inputTypes, isAction: false);
        var jobs = Pairs(Child(root, "jobs")).Where(pair => pair.Value is YamlMappingNode).Select(pair => (pair.Key, Job: (YamlMappingNode)pair.Value)).ToList();
        CheckTriggers(jobs);
        CheckArtifactPoisoning(jobs);
        CheckPermissions(jobs);
        CheckOverprovisionedSecrets(root);
        CheckInsecureCommands(Child(root, "env"));
        foreach (var (name, job) in jobs)
        {
            CheckJob(name, job);
        }
    }

    public void RunAction()
    {
        var runs = Child(root, "runs");
        if (Text(Child(runs, "image")) is { } image && image.StartsWith("docker://", StringComparison.Ordinal) && !image.Contains("@sha256:", StringComparison.Ordinal))
        {
            context.Error(Child(runs, "image")!, AuditRules.UnpinnedUses, $"{image} is not pinned to a digest", "pin the image as docker://image@sha256:<digest>");
        }

        if (Child(runs, "steps") is YamlSequenceNode)
        {
            CheckOverprovisionedSecrets(runs!);
            var steps = StepWalk.StepsOf(Child(runs, "steps")).ToList();
            foreach (var step in steps)
            {
                CheckStep(step, job: null, steps);
            }
        }
    }

    /// <summary>
    /// As zizmor judges them (zizmorcore/zizmor crates/zizmor/src/audit/excessive_permissions.rs): the
    /// top level only matters when several jobs lean on it and the workflow is not reusable-only; a job
    /// without permissions under a workflow without them runs with the repository's default token; a job
    /// that calls a reusable workflow must say what it grants, since the called workflow gets that token.
    /// </summary>
    private void CheckPermissions(List<(YamlScalarNode Key, YamlMappingNode Job)> jobs)
    {
        var key = root.Children.Keys.OfType<YamlScalarNode>().FirstOrDefault(name => name.Value == "permissions");
        var allJobsHave = jobs.All(job => Child(job.Job, "permissions") is not null);
        var callOnly = _triggers.Count == 1 && _triggers[0].Value == "workflow_call";
        if (!(jobs.Count == 1 || allJobsHave || callOnly))
        {
            // No top-level permissions: each job without its own is reported below, once (not twice, as before).
            switch (key is null ? null : root.Children[key])
            {
                case YamlScalarNode { Value: "write-all" or "read-all" } scalar:
                    context.Error(scalar, AuditRules.ExcessivePermissions, $"top-level permissions: {scalar.Value} applies to every job without its own", "list only what is needed, e.g. `permissions: contents: read`");
                    break;
                case YamlMappingNode mapping:
                    foreach (var (scope, level) in Pairs(mapping))
                    {
                        if (Text(level) == "write")
                        {
                            context.Error(scope, AuditRules.ExcessivePermissions, $"top-level permission {scope.Value}: write applies to every job without its own", "grant write on the one job that needs it");
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
                    context.Error(name, AuditRules.ExcessivePermissions, $"job {name.Value} calls a reusable workflow without permissions: the caller decides what the called workflow's token may do, and here that is the repository's default", "give the job the permissions the called workflow needs, e.g. `permissions: contents: read`");
                    break;
                case null when key is null && !callOnly:
                    context.Error(name, AuditRules.ExcessivePermissions, $"job {name.Value} has no permissions and the workflow none either: its token gets the repository's default (often write)", "add `permissions:` to the job (or the workflow), e.g. `contents: read`");
                    break;
                case YamlScalarNode { Value: "write-all" } scalar:
                    context.Error(scalar, AuditRules.ExcessivePermissions, $"job {name.Value} has permissions: write-all", "list the scopes the job needs, each with write only where it writes");
                    break;
                case YamlScalarNode { Value: "read-all" } scalar:
                    context.Warning(scalar, AuditRules.ExcessivePermissions, $"job {name.Value} has permissions: read-all", "list the scopes the job reads, e.g. `contents: read`");
                    break;
                case YamlMappingNode scopes:
                    CheckWritesByNeed(name, job, scopes);
                    break;
            }
        }
    }

    /// <summary>
    /// Each write scope a job holds (its own, or a single job's top level) needs a step that can use it: a git push,
    /// a gh or API call, the token passed on, or an action that needs it (TokenScopes). One nothing uses is a warning.
    /// </summary>
    private void CheckWritesByNeed(YamlScalarNode name, YamlMappingNode job, YamlMappingNode scopes)
    {
        if (Child(job, "uses") is not null)
        {
            return; // a reusable workflow: what it does with the token is in another file
        }

        var steps = Steps(job).ToList();
        var scripts = string.Join('\n', steps.Select(step => Text(Child(step, "run")) ?? string.Empty));
        var passesToken = steps.Any(step => new[] { Child(step, "with"), Child(step, "env") }.SelectMany(Pairs).Any(pair => Text(pair.Value) is { } value && TokenReference().IsMatch(value)))
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
                context.Warning(scope, AuditRules.ExcessivePermissions, $"job {name.Value} holds {scope.Value}: write, but no step uses it (no git push, gh or API call, no token passed on, no action known to need it)", $"drop {scope.Value}: write (or make it read)");
            }
        }
    }

    private void CheckOverprovisionedSecrets(YamlNode node)
    {
        foreach (var scalar in node.AllNodes.OfType<YamlScalarNode>())
        {
            if (scalar.Value is { } value && ToJsonSecrets().IsMatch(value))
            {
                context.Error(scalar, AuditRules.OverprovisionedSecrets, "toJSON(secrets) hands every secret to one place", "pass the single secret that is needed");
            }
        }
    }

    private void CheckInsecureCommands(YamlNode? env)
    {
        foreach (var (name, value) in Pairs(env))
        {
            if (name.Value == "ACTIONS_ALLOW_UNSECURE_COMMANDS" && Text(value)?.Trim().ToLowerInvariant() is not ("false" or "0" or "" or null))
            {
                context.Error(name, AuditRules.InsecureCommands, "ACTIONS_ALLOW_UNSECURE_COMMANDS turns ::set-env and ::add-path back on: any output line can set variables or the PATH", "remove it; write to $GITHUB_ENV, $GITHUB_PATH or $GITHUB_OUTPUT instead");
            }
        }
    }

    private static IEnumerable<YamlMappingNode> Steps(YamlMappingNode job) => StepWalk.StepsOf(Child(job, "steps"));

    [GeneratedRegex(@"secrets\.GITHUB_TOKEN|github\.token", RegexOptions.IgnoreCase)]
    private static partial Regex TokenReference();

    [GeneratedRegex(@"\bgit\s+push\b|(?:^|[\s;&|(])gh\s+[a-z]|api\.github\.com|GITHUB_TOKEN|GH_TOKEN|github\.token", RegexOptions.IgnoreCase | RegexOptions.Multiline)]
    private static partial Regex TokenUse();

    [GeneratedRegex(@"(?:^|[\s;&|(])(?:exec\s+)?(?:\./|\.\\)?build\.(?:sh|ps1)\b", RegexOptions.Multiline)]
    private static partial Regex BuildScript();

    [GeneratedRegex(@"toJSON\s*\(\s*secrets\s*\)", RegexOptions.IgnoreCase)]
    private static partial Regex ToJsonSecrets();
}
