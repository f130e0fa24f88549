using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;
using static Build.Hardening.WorkflowAudit;

namespace Build.Hardening;

internal sealed partial class WorkflowChecks
{
    private void CheckJob(YamlScalarNode name, YamlMappingNode job)
    {
        if (Child(job, "uses") is YamlScalarNode reusable)
        {
            CheckUses(reusable);
        }

        if (Child(job, "secrets") is YamlScalarNode { Value: "inherit" } inherit)
        {
            context.Error(inherit, AuditRules.SecretsInherit, $"job {name.Value} passes every secret to the called workflow", "pass the secrets it needs by name");
        }

        CheckInsecureCommands(Child(job, "env"));
        CheckCondition(Child(job, "if"));
        CheckImages(name, job);
        CheckRunner(name, job);
        if (Child(job, "steps") is not YamlSequenceNode { Children.Count: > 0 } steps)
        {
            return;
        }

        var first = steps.Children[0] as YamlMappingNode;
        if (!AuditRules.IsAction(Text(Child(first, "uses")), AuditRules.HardenRunnerAction))
        {
            context.Error(name, AuditRules.HardenRunnerFirst, $"job {name.Value} does not start with {AuditRules.HardenRunnerAction}", "make step-security/harden-runner the first step, with egress-policy: block");
        }
        else
        {
            CheckHardenRunnerPolicy(name, first!, TailnetStep(steps));
        }

        var walked = StepWalk.Of(steps);
        var runnable = walked.Select(item => item.Step).ToList();
        var publishes = Publishes(runnable);
        foreach (var (step, container, index) in walked)
        {
            CheckStep(step, job, runnable, context.Aliases.AtIndex(container.Start.Index, index));
            if (publishes)
            {
                CheckCache(step);
            }
        }
    }

    private void CheckStep(YamlMappingNode step, YamlMappingNode? job, IReadOnlyList<YamlMappingNode> steps, int? aliasLine = null)
    {
        CheckInsecureCommands(Child(step, "env"));
        CheckCondition(Child(step, "if"));
        if (Child(step, "uses") is YamlScalarNode uses)
        {
            CheckUses(uses);
            CheckArtipacked(step, uses, steps);
            if (InjectionSinks.Of(uses.Value ?? string.Empty) is { } sink)
            {
                foreach (var input in sink.Inputs)
                {
                    if (Child(Child(step, "with"), input) is YamlScalarNode code)
                    {
                        CheckExpressions(code, step, job, steps, $"the {input} input of {uses.Value!.Split('@')[0]} (it is {sink.Reason})", aliasLine);
                    }
                }
            }
        }

        if (Child(step, "run") is YamlScalarNode run)
        {
            CheckExpressions(run, step, job, steps, "the script before it runs", aliasLine ?? context.Aliases.AtKey(step.Start.Index, "run"));
            CheckGitHubEnv(run, step, job, steps);
        }
    }

    /// <summary>
    /// template-injection: an outsider's value pasted into code is an error, a value Harden cannot trace a warning that says
    /// why (<see cref="TaintTracer"/>); secrets-in-run for secrets.
    /// </summary>
    private void CheckExpressions(YamlScalarNode code, YamlMappingNode step, YamlMappingNode? job, IReadOnlyList<YamlMappingNode> steps, string where, int? aliasLine)
    {
        var searchFrom = 0;
        var scope = new TraceScope(step, job, steps);
        foreach (var expression in Expressions.In(code.Value ?? string.Empty))
        {
            var line = context.LineOf(code, expression.Text, ref searchFrom);
            line = aliasLine ?? line;
            var traces = expression.IsBoolean ? [] : expression.Contexts.Where(name => !TaintTracer.IsSecret(name)).Select(name => (Name: name, Trace: _tracer.OfContext(name, scope))).ToList();
            var attacker = traces.Where(pair => pair.Trace.Class == TaintClass.Attacker).ToList();
            var unknown = traces.Where(pair => pair.Trace.Class == TaintClass.Unknown).ToList();
            if (attacker.Count > 0)
            {
                var named = attacker.Select(pair => pair.Trace.Origin == pair.Name ? pair.Name : $"{pair.Name} from {pair.Trace.Origin}");
                context.Error(line, AuditRules.TemplateInjection, $"{expression.OneLine} ({string.Join(", ", named)}) is pasted into {where}", "pass it through env: and use \"$NAME\" in the script");
            }
            else if (unknown.Count > 0)
            {
                var why = unknown.Select(pair => pair.Trace.Reason).Distinct();
                context.Warning(line, AuditRules.TemplateInjection, $"{expression.OneLine} ({string.Join(", ", unknown.Select(pair => pair.Name))}) is pasted into {where}, and Harden cannot tell who chooses it: {string.Join("; ", why)}", "pass it through env: and use \"$NAME\" in the script");
            }
            else if (expression.Contexts.Any(TaintTracer.IsSecret))
            {
                context.Warning(line, AuditRules.SecretsInRun, $"{expression.OneLine} pastes a secret into {where}", "pass it through env: and use \"$NAME\" in the script");
            }
        }
    }

    private void CheckGitHubEnv(YamlScalarNode run, YamlMappingNode step, YamlMappingNode? job, IReadOnlyList<YamlMappingNode> steps)
    {
        var script = run.Value ?? string.Empty;
        var dangerous = HasTrigger("pull_request_target", "workflow_run");
        var scope = new TraceScope(step, job, steps);
        var searchFrom = 0;
        foreach (var line in script.Split('\n'))
        {
            var target = EnvFileWrite().Match(line);
            if (!target.Success)
            {
                continue;
            }

            // The written value: its expressions, and the step's env values it reads as $NAME.
            var read = Expressions.In(line).Select(expression => _tracer.OfExpression(expression, scope))
                .Concat(VariableReference().Matches(line).Select(variable => variable.Groups[1].Value).Where(name => Child(Child(step, "env"), name) is not null)
                    .Select(name => _tracer.OfContext("env." + name, scope)))
                .ToList();
            var untrusted = read.Any(trace => trace.Class == TaintClass.Attacker);
            var unknown = read.FirstOrDefault(trace => trace.Class == TaintClass.Unknown);
            if (!untrusted && !dangerous && unknown is null)
            {
                continue;
            }

            var at = context.LineOf(run, line.Trim(), ref searchFrom);
            if (untrusted || dangerous)
            {
                var why = untrusted ? "writes a value an outsider can choose" : $"writes in a workflow that {string.Join("/", _triggers.Select(trigger => trigger.Value).Where(value => value is "pull_request_target" or "workflow_run"))} triggers";
                context.Error(at, AuditRules.GitHubEnv, $"{target.Groups["file"].Value} {why}: later steps can be made to run other code (LD_PRELOAD, a PATH entry)", "pass state through $GITHUB_OUTPUT, or write only literal, trusted values");
            }
            else
            {
                context.Warning(at, AuditRules.GitHubEnv, $"{target.Groups["file"].Value} gets a value Harden cannot trace ({unknown!.Reason}): if an outsider can choose it, later steps can be made to run other code", "write only literal, trusted values, or pass state through $GITHUB_OUTPUT");
            }
        }
    }

    private void CheckArtipacked(YamlMappingNode step, YamlScalarNode uses, IReadOnlyList<YamlMappingNode> steps)
    {
        if (!AuditRules.IsAction(uses.Value, AuditRules.CheckoutAction)
            || Child(Child(step, "with"), "persist-credentials") is YamlScalarNode { Value: "false" })
        {
            return;
        }

        var later = steps.SkipWhile(node => !ReferenceEquals(node, step)).Skip(1).ToList();
        if (later.Count == 0)
        {
            return;
        }

        if (later.Any(node => Text(Child(node, "run")) is { } script && GitPush().IsMatch(script)))
        {
            context.Warning(uses, AuditRules.Artipacked, "actions/checkout leaves the token in .git/config for every later step; this job pushes with it", "set persist-credentials: false and push with the token given only to that step: git push \"https://x-access-token:${GITHUB_TOKEN}@github.com/${GITHUB_REPOSITORY}\"");
            return;
        }

        context.Error(uses, AuditRules.Artipacked, "actions/checkout leaves the token in .git/config for every later step", "add `with: persist-credentials: false`");
    }

    private void CheckUses(YamlScalarNode uses)
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
        if (at > 0 && context.Profile.AllowsRefPin(value.Split('/')[0]))
        {
            return; // the profile lets this owner's actions be pinned to a tag or branch
        }

        if (at < 0 || !PinnedCommit().IsMatch(value[(at + 1)..]))
        {
            context.Error(uses, AuditRules.UnpinnedUses, $"{value} is not pinned to a commit", "pin to the full 40-character commit and keep the version in a comment: uses: owner/action@<sha> # vX.Y.Z");
        }
    }

    private void CheckCondition(YamlNode? condition)
    {
        CheckBotCondition(condition);
        CheckUnsoundCondition(condition);
    }

    /// <summary>
    /// GitHub evaluates an <c>if:</c> as one expression only when <c>${{ }}</c> spans the whole value; with any
    /// text around it (a trailing newline from a <c>|</c> block included) the value is a non-empty string, always
    /// true (as zizmor's unsound-condition audit judges it).
    /// </summary>
    private void CheckUnsoundCondition(YamlNode? condition)
    {
        if (condition is not YamlScalarNode { Value: { } text } || !text.Contains("${{", StringComparison.Ordinal))
        {
            return;
        }

        var found = Expressions.In(text).ToList();
        var spansAll = found.Count == 1 && found[0].Index == 0 && found[0].Text.Length == text.Length;
        if (!spansAll)
        {
            context.Error(condition, AuditRules.UnsoundCondition, "this if: mixes ${{ }} with other text, so GitHub evaluates a non-empty string: the condition is always true", "write the whole condition as one expression (if: ${{ a && b }}, or without ${{ }}), and use |- or a plain scalar, not |");
        }
    }

    private void CheckBotCondition(YamlNode? condition)
    {
        if (condition is YamlScalarNode { Value: { } text } && BotActor().Match(text) is { Success: true } match)
        {
            context.Error(condition, AuditRules.BotConditions, $"{match.Value.Trim()} can be spoofed: github.actor is whoever acted last, not who opened the pull request", "check github.event.pull_request.user.login (and avoid pull_request_target for bot automation)");
        }
    }

    private void CheckImages(YamlScalarNode job, YamlMappingNode mapping)
    {
        var images = new List<YamlNode?> { Child(mapping, "container") is YamlScalarNode bare ? bare : Child(Child(mapping, "container"), "image") };
        images.AddRange(Pairs(Child(mapping, "services")).Select(service => Child(service.Value, "image")));
        foreach (var node in images.OfType<YamlScalarNode>())
        {
            var image = node.Value ?? string.Empty;
            if (image.Contains("@sha256:", StringComparison.Ordinal) || image.Contains("${{", StringComparison.Ordinal))
            {
                continue;
            }

            var lastSegment = image[(image.LastIndexOf('/') + 1)..];
            var tag = lastSegment.Contains(':') ? lastSegment[(lastSegment.IndexOf(':') + 1)..] : null;
            if (tag is null or "latest")
            {
                context.Error(node, AuditRules.UnpinnedImages, $"job {job.Value} runs image {image} {(tag is null ? "without a tag" : "by its latest tag")}: the registry decides what runs", "pin the image by digest: image@sha256:<digest>");
            }
            else
            {
                context.Warning(node, AuditRules.UnpinnedImages, $"job {job.Value} runs image {image} by a tag, which can be moved", "pin the image by digest: image@sha256:<digest> (keep the tag in a comment)");
            }
        }
    }

    private void CheckRunner(YamlScalarNode job, YamlMappingNode mapping)
    {
        var runsOn = Child(mapping, "runs-on");
        var labels = runsOn switch
        {
            YamlScalarNode scalar => [scalar.Value ?? string.Empty],
            YamlSequenceNode sequence => sequence.Children.OfType<YamlScalarNode>().Select(label => label.Value ?? string.Empty).ToList(),
            YamlMappingNode group => (Child(group, "labels") as YamlSequenceNode)?.Children.OfType<YamlScalarNode>().Select(label => label.Value ?? string.Empty).ToList() ?? [],
            _ => new List<string>(),
        };
        if (labels.Contains("self-hosted", StringComparer.OrdinalIgnoreCase) && HasTrigger(ForkTriggers))
        {
            context.Error(runsOn!, AuditRules.SelfHostedRunner, $"job {job.Value} runs on a self-hosted runner in a workflow that outside pull requests or comments trigger: their code runs on your machine", "run such jobs on GitHub-hosted runners, or require approval and use ephemeral runners");
        }
    }

    /// <summary>A release trigger, a tag push, or a step that publishes.</summary>
    private bool Publishes(IReadOnlyList<YamlMappingNode> steps)
    {
        var triggers = Child(root, "on");
        if (HasTrigger("release") || Child(Child(triggers, "push"), "tags") is not null)
        {
            return true;
        }

        return steps.Any(step =>
            (Text(Child(step, "uses")) is { } uses && ReleaseCaching.Match(ReleaseCaching.Publishers.Keys, uses) is { } publisher
                && (ReleaseCaching.Publishers[publisher] is not { } pushes || pushes.IsOn(Text(Child(Child(step, "with"), pushes.Input)))))
            || (Text(Child(step, "run")) is { } script && PublishCommand().IsMatch(script)));
    }

    private void CheckCache(YamlMappingNode step)
    {
        if (Child(step, "uses") is not YamlScalarNode { Value: { } uses } node
            || ReleaseCaching.Match(ReleaseCaching.CacheAware.Keys, uses) is not { } action
            || uses.StartsWith(action + "/save@", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        var switches = ReleaseCaching.CacheAware[action];
        if (switches.Length == 0 || switches.Any(cache => cache.IsOn(Text(Child(Child(step, "with"), cache.Input)))))
        {
            context.Error(node, AuditRules.CachePoisoning, $"{uses.Split('@')[0]} restores a cache in a workflow that publishes: a poisoned cache entry ends up in the release", "do not restore caches in release and publishing workflows (build from a clean state)");
        }
    }

    [GeneratedRegex(@">>?\s*""?\$\{?(?:env:)?(?<file>GITHUB_ENV|GITHUB_PATH)\}?""?|(?:Out-File|Add-Content|Set-Content)[^\n]*\$env:(?<file>GITHUB_ENV|GITHUB_PATH)|tee\s+(?:-a\s+)?""?\$\{?(?<file>GITHUB_ENV|GITHUB_PATH)")]
    private static partial Regex EnvFileWrite();

    // $NAME and ${NAME} in a POSIX shell, $env:NAME and ${env:NAME} in PowerShell.
    [GeneratedRegex(@"\$\{?(?:env:)?([A-Za-z_][A-Za-z0-9_]*)\}?")]
    private static partial Regex VariableReference();

    [GeneratedRegex(@"(?:^|[\s;&|(])git\s+push\b", RegexOptions.Multiline)]
    private static partial Regex GitPush();

    [GeneratedRegex(@"github\.(?:actor|triggering_actor)\s*==\s*'[^']*\[bot\]'|'[^']*\[bot\]'\s*==\s*github\.(?:actor|triggering_actor)")]
    private static partial Regex BotActor();

    [GeneratedRegex(@"\b(?:npm|pnpm|yarn)\s+publish\b|dotnet\s+nuget\s+push\b|\bdocker\s+push\b|cargo\s+publish\b|gh\s+release\s+create\b|twine\s+upload\b|gem\s+push\b|poetry\s+publish\b")]
    private static partial Regex PublishCommand();
}
