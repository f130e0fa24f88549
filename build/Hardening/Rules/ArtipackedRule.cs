using System.Text.RegularExpressions;
using Build.Core;
using YamlDotNet.RepresentationModel;
using static Build.Hardening.WorkflowAudit;

namespace Build.Hardening.Rules;

internal sealed partial class ArtipackedRule : IAuditRule
{
    public AuditRule Rule { get; } = new(
        AuditRules.Artipacked,
        Severity.Error,
        "`actions/checkout` without `persist-credentials: false` (a warning when a later step pushes with git and needs it; nothing when " +
            "checkout is the job's last step)",
        "Checkout leaves the token in the workspace");

    public void OnStep(StepScope scope)
    {
        var step = scope.Step;
        if (Child(step, "uses") is not YamlScalarNode uses
            || !AuditRules.IsAction(uses.Value, AuditRules.CheckoutAction)
            || Child(Child(step, "with"), "persist-credentials") is YamlScalarNode { Value: "false" })
        {
            return;
        }

        var later = scope.Steps.SkipWhile(node => !ReferenceEquals(node, step)).Skip(1).ToList();
        if (later.Count == 0)
        {
            return;
        }

        if (later.Any(node => Text(Child(node, "run")) is { } script && GitPush().IsMatch(script)))
        {
            scope.Context.Warning(uses, AuditRules.Artipacked, "actions/checkout leaves the token in .git/config for every later step; this job pushes with it",
                "set persist-credentials: false and push with the token given only to that step: git push " +
                    "\"https://x-access-token:${GITHUB_TOKEN}@github.com/${GITHUB_REPOSITORY}\"");
            return;
        }

        scope.Context.Error(uses, AuditRules.Artipacked, "actions/checkout leaves the token in .git/config for every later step",
            "add `with: persist-credentials: false`");
    }

    [GeneratedRegex(@"(?:^|[\s;&|(])git\s+push\b", RegexOptions.Multiline)]
    private static partial Regex GitPush();
}
