using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Build.Hardening;

/// <summary>
/// Audits GitHub workflow files for the risks the well-known linters check (zizmor, actionlint,
/// Scorecard) plus the project's own: harden-runner first in every job, in block mode.
/// </summary>
public static partial class WorkflowAudit
{
    public static WorkflowAuditResult AuditDirectory(string directory, string displayRoot)
    {
        if (!Directory.Exists(directory))
        {
            return new WorkflowAuditResult(0, []);
        }

        var files = Directory.EnumerateFiles(directory)
            .Where(path => path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .ToList();
        var findings = files.SelectMany(path => AuditFile(DisplayPath(path, displayRoot), File.ReadAllText(path))).ToList();
        return new WorkflowAuditResult(files.Count, findings);
    }

    /// <summary>Relative to the repository when inside it (as GitHub annotations want), else absolute.</summary>
    private static string DisplayPath(string path, string root)
    {
        var relative = Path.GetRelativePath(root, path);
        return (relative.StartsWith("..", StringComparison.Ordinal) ? Path.GetFullPath(path) : relative).Replace('\\', '/');
    }

    public static IReadOnlyList<AuditFinding> AuditFile(string path, string text)
    {
        var findings = new List<AuditFinding>();
        YamlMappingNode root;
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode mapping)
            {
                findings.Add(new AuditFinding(path, 1, Severity.Error, AuditRules.Syntax, "not a workflow (no top-level mapping)", "write the workflow as a YAML mapping with on: and jobs:"));
                return findings;
            }

            root = mapping;
        }
        catch (Exception exception) when (exception is YamlException or InvalidOperationException)
        {
            // YamlDotNet reports some malformed flow collections without a position.
            var line = exception is YamlException yaml ? (int)yaml.Start.Line : 1;
            findings.Add(new AuditFinding(path, line, Severity.Error, AuditRules.Syntax, "the YAML does not parse", "correct the YAML syntax at this line"));
            return findings;
        }

        var context = new FileContext(path, findings);
        CheckTriggers(context, root);
        CheckTopLevelPermissions(context, root);
        CheckOverprovisionedSecrets(context, root);
        if (Child(root, "jobs") is YamlMappingNode jobs)
        {
            foreach (var (name, job) in jobs.Children)
            {
                if (job is YamlMappingNode jobMapping)
                {
                    CheckJob(context, (YamlScalarNode)name, jobMapping);
                }
            }
        }

        return findings.OrderBy(finding => finding.Line).ThenBy(finding => finding.RuleId, StringComparer.Ordinal).ToList();
    }

    private static void CheckTriggers(FileContext context, YamlMappingNode root)
    {
        var triggers = Child(root, "on");
        IEnumerable<YamlScalarNode> names = triggers switch
        {
            YamlScalarNode scalar => [scalar],
            YamlSequenceNode sequence => sequence.Children.OfType<YamlScalarNode>(),
            YamlMappingNode mapping => mapping.Children.Keys.OfType<YamlScalarNode>(),
            _ => [],
        };
        foreach (var name in names.Where(name => name.Value is "pull_request_target" or "workflow_run"))
        {
            context.Error(name, AuditRules.DangerousTriggers, $"the {name.Value} trigger runs with secrets on code or artifacts from outside the repository", "use pull_request, workflow_dispatch or schedule");
        }
    }

    private static void CheckTopLevelPermissions(FileContext context, YamlMappingNode root)
    {
        var key = root.Children.Keys.OfType<YamlScalarNode>().FirstOrDefault(name => name.Value == "permissions");
        if (key is null)
        {
            context.Error(root, AuditRules.ExcessivePermissions, "no top-level permissions: the token gets the repository's default (often write)", "add `permissions: contents: read` at the top and grant more per job");
            return;
        }

        switch (root.Children[key])
        {
            case YamlScalarNode { Value: "write-all" or "read-all" } scalar:
                context.Error(scalar, AuditRules.ExcessivePermissions, $"top-level permissions: {scalar.Value}", "list only what is needed, e.g. `permissions: contents: read`");
                break;
            case YamlMappingNode mapping:
                foreach (var (scope, level) in mapping.Children)
                {
                    if (level is YamlScalarNode { Value: "write" })
                    {
                        context.Error(scope, AuditRules.ExcessivePermissions, $"top-level permission {((YamlScalarNode)scope).Value}: write applies to every job", "grant write on the one job that needs it");
                    }
                }

                break;
        }
    }

    private static void CheckOverprovisionedSecrets(FileContext context, YamlNode node)
    {
        foreach (var scalar in node.AllNodes.OfType<YamlScalarNode>())
        {
            if (scalar.Value is { } value && ToJsonSecrets().IsMatch(value))
            {
                context.Error(scalar, AuditRules.OverprovisionedSecrets, "toJSON(secrets) hands every secret to one place", "pass the single secret that is needed");
            }
        }
    }

    private static void CheckJob(FileContext context, YamlScalarNode name, YamlMappingNode job)
    {
        if (Child(job, "uses") is YamlScalarNode reusable)
        {
            CheckUses(context, reusable);
        }

        if (Child(job, "secrets") is YamlScalarNode { Value: "inherit" } inherit)
        {
            context.Error(inherit, AuditRules.SecretsInherit, $"job {name.Value} passes every secret to the called workflow", "pass the secrets it needs by name");
        }

        if (Child(job, "steps") is not YamlSequenceNode { Children.Count: > 0 } steps)
        {
            return;
        }

        var first = steps.Children[0] as YamlMappingNode;
        var firstUses = first is null ? null : (Child(first, "uses") as YamlScalarNode)?.Value;
        if (firstUses is null || !firstUses.StartsWith(AuditRules.HardenRunnerAction + "@", StringComparison.Ordinal))
        {
            context.Error(name, AuditRules.HardenRunnerFirst, $"job {name.Value} does not start with {AuditRules.HardenRunnerAction}", "make step-security/harden-runner the first step, with egress-policy: block");
        }
        else if (first is not null)
        {
            CheckHardenRunnerPolicy(context, name, first, TailnetStep(steps));
        }

        foreach (var step in steps.Children.OfType<YamlMappingNode>())
        {
            CheckStep(context, step);
        }
    }

    /// <summary>Block mode everywhere, except in a job that joins a tailnet, where it drops the tailnet's traffic.</summary>
    private static void CheckHardenRunnerPolicy(FileContext context, YamlScalarNode job, YamlMappingNode hardenRunner, YamlNode? tailnetStep)
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
        foreach (var step in steps.Children.OfType<YamlMappingNode>())
        {
            if (Child(step, "uses") is YamlScalarNode { Value: { } uses } node && uses.StartsWith(AuditRules.TailscaleAction + "@", StringComparison.Ordinal))
            {
                return node;
            }

            if (Child(step, "run") is YamlScalarNode { Value: { } script } run
                && BuildInvocation().Matches(script).Any(invocation => ReachesTailnet(invocation.Groups["args"].Value)))
            {
                return run;
            }
        }

        return null;
    }

    private static bool ReachesTailnet(string arguments)
    {
        if (TailnetOff().IsMatch(arguments))
        {
            return false;
        }

        var target = TargetArgument().Match(arguments);
        return !(target.Success && target.Groups["target"].Value.Equals("Harden", StringComparison.OrdinalIgnoreCase));
    }

    private static void CheckStep(FileContext context, YamlMappingNode step)
    {
        if (Child(step, "uses") is YamlScalarNode uses)
        {
            CheckUses(context, uses);
            if (uses.Value?.StartsWith(AuditRules.CheckoutAction + "@", StringComparison.Ordinal) == true
                && Child(Child(step, "with"), "persist-credentials") is not YamlScalarNode { Value: "false" })
            {
                context.Error(uses, AuditRules.Artipacked, "actions/checkout leaves the token in .git/config for every later step", "add `with: persist-credentials: false`");
            }
        }

        if (Child(step, "run") is YamlScalarNode run && run.Value is { } script)
        {
            foreach (Match expression in Expression().Matches(script))
            {
                var inner = expression.Groups[1].Value.Trim();
                if (!AuditRules.SafeExpressions.Contains(inner))
                {
                    var line = LineOf(run) + script[..expression.Index].Count(character => character == '\n');
                    context.Error(line, AuditRules.TemplateInjection, $"${{{{ {inner} }}}} is pasted into the script before it runs", "pass it through env: and use \"$NAME\" in the script");
                }
            }
        }
    }

    private static void CheckUses(FileContext context, YamlScalarNode uses)
    {
        var value = uses.Value ?? string.Empty;
        if (value.StartsWith("./", StringComparison.Ordinal))
        {
            return;
        }

        if (value.StartsWith("docker://", StringComparison.Ordinal))
        {
            if (!value.Contains("@sha256:", StringComparison.Ordinal))
            {
                context.Error(uses, AuditRules.UnpinnedUses, $"{value} is not pinned to a digest", "pin the image as docker://image@sha256:<digest>");
            }

            return;
        }

        var at = value.LastIndexOf('@');
        if (at < 0 || !PinnedCommit().IsMatch(value[(at + 1)..]))
        {
            context.Error(uses, AuditRules.UnpinnedUses, $"{value} is not pinned to a commit", "pin to the full 40-character commit and keep the version in a comment: uses: owner/action@<sha> # vX.Y.Z");
        }
    }

    private static YamlNode? Child(YamlNode? node, string key) =>
        node is YamlMappingNode mapping && mapping.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    /// <summary>The first content line: a block scalar's text starts on the line after its indicator.</summary>
    private static int LineOf(YamlScalarNode scalar) =>
        (int)scalar.Start.Line + (scalar.Style is ScalarStyle.Literal or ScalarStyle.Folded ? 1 : 0);

    [GeneratedRegex(@"\$\{\{(.*?)\}\}", RegexOptions.Singleline)]
    private static partial Regex Expression();

    [GeneratedRegex(@"toJSON\s*\(\s*secrets\s*\)", RegexOptions.IgnoreCase)]
    private static partial Regex ToJsonSecrets();

    [GeneratedRegex(@"(?:^|[\s;&|(])(?:\./|\.\\)?build\.(?:sh|ps1)\b(?<args>[^\n]*)", RegexOptions.Multiline)]
    private static partial Regex BuildInvocation();

    [GeneratedRegex(@"(?:--target|-t)(?:=|\s+)[""']?(?<target>[A-Za-z]+)[""']?(?=\s|$)")]
    private static partial Regex TargetArgument();

    [GeneratedRegex(@"--tailnet=[""']?off\b")]
    private static partial Regex TailnetOff();

    [GeneratedRegex("^[0-9a-f]{40}$")]
    private static partial Regex PinnedCommit();

    private sealed class FileContext(string path, List<AuditFinding> findings)
    {
        public void Error(YamlNode node, string rule, string message, string fix) => Error((int)node.Start.Line, rule, message, fix);

        public void Error(int line, string rule, string message, string fix) => findings.Add(new AuditFinding(path, line, Severity.Error, rule, message, fix));

        public void Warning(YamlNode node, string rule, string message, string fix) => findings.Add(new AuditFinding(path, (int)node.Start.Line, Severity.Warning, rule, message, fix));
    }
}
