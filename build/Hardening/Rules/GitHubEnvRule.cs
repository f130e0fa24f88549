using System.Text.RegularExpressions;
using Build.Core;
using YamlDotNet.RepresentationModel;
using static Build.Hardening.WorkflowAudit;

namespace Build.Hardening.Rules;

/// <summary>Writes to $GITHUB_ENV or $GITHUB_PATH of a value an outsider can choose (or any, under the privileged triggers).</summary>
internal sealed partial class GitHubEnvRule : IAuditRule
{
    public AuditRule Rule { get; } = new(
        AuditRules.GitHubEnv,
        Severity.Error,
        "a write to `GITHUB_ENV` or `GITHUB_PATH` of an outsider-chosen value, or any such write in a `pull_request_target`/`workflow_run` workflow",
        "Untrusted value written to GITHUB_ENV or GITHUB_PATH");

    public void OnStep(StepScope scope)
    {
        if (Child(scope.Step, "run") is not YamlScalarNode run)
        {
            return;
        }

        var script = run.Value ?? string.Empty;
        var workflow = scope.Workflow;
        var dangerous = workflow.HasTrigger("pull_request_target", "workflow_run");
        var searchFrom = 0;
        foreach (var line in script.Split('\n'))
        {
            var target = EnvFileWrite().Match(line);
            if (!target.Success)
            {
                continue;
            }

            // The written value: its expressions, and the step's env values it reads as $NAME.
            var read = Expressions.In(line).Select(expression => workflow.Tracer.OfExpression(expression, scope.Trace))
                .Concat(VariableReference().Matches(line).Select(variable => variable.Groups[1].Value).Where(name => Child(Child(scope.Step,
                    "env"), name) is not null)
                    .Select(name => workflow.Tracer.OfContext("env." + name, scope.Trace)))
                .ToList();
            var untrusted = read.Any(trace => trace.Class == TaintClass.Attacker);
            var unknown = read.FirstOrDefault(trace => trace.Class == TaintClass.Unknown);
            if (!untrusted && !dangerous && unknown is null)
            {
                continue;
            }

            var at = scope.Context.LineOf(run, line.Trim(), ref searchFrom);
            if (untrusted || dangerous)
            {
                var triggers = string.Join("/", workflow.Triggers.Select(trigger => trigger.Value)
                    .Where(value => value is "pull_request_target" or "workflow_run"));
                var why = untrusted ? "writes a value an outsider can choose" : $"writes in a workflow that {triggers} triggers";
                scope.Context.Error(at, AuditRules.GitHubEnv,
                    $"{target.Groups["file"].Value} {why}: later steps can be made to run other code (LD_PRELOAD, a PATH entry)",
                    "pass state through $GITHUB_OUTPUT, or write only literal, trusted values");
            }
            else
            {
                scope.Context.Warning(at, AuditRules.GitHubEnv,
                    $"{target.Groups["file"].Value} gets a value Harden cannot trace ({unknown!.Reason}): if an outsider can choose it, later steps " +
                        "can be made to run other code", "write only literal, trusted values, or pass state through $GITHUB_OUTPUT");
            }
        }
    }

    [GeneratedRegex(@">>?\s*""?\$\{?(?:env:)?(?<file>GITHUB_ENV|GITHUB_PATH)\}?""?|(?:Out-File|Add-Content|Set-Content)[^\n]*\$env:(?<file>GITHUB_ENV|"
        + @"GITHUB_PATH)|tee\s+(?:-a\s+)?""?\$\{?(?<file>GITHUB_ENV|GITHUB_PATH)")]
    private static partial Regex EnvFileWrite();

    // $NAME and ${NAME} in a POSIX shell, $env:NAME and ${env:NAME} in PowerShell.
    [GeneratedRegex(@"\$\{?(?:env:)?([A-Za-z_][A-Za-z0-9_]*)\}?")]
    private static partial Regex VariableReference();
}
