using System.Text.RegularExpressions;
using Build.Core;
using YamlDotNet.RepresentationModel;
using static Build.Hardening.WorkflowAudit;

namespace Build.Hardening.Rules;

internal sealed partial class OverprovisionedSecretsRule : IAuditRule
{
    public AuditRule Rule { get; } = new(
        AuditRules.OverprovisionedSecrets,
        Severity.Error,
        "`toJSON(secrets)`",
        "Every secret serialised into one value");

    public void OnWorkflow(WorkflowScope workflow) => Check(workflow.Context, workflow.Root);

    public void OnAction(WorkflowScope action)
    {
        if (Child(Child(action.Root, "runs"), "steps") is YamlSequenceNode)
        {
            Check(action.Context, Child(action.Root, "runs")!);
        }
    }

    private static void Check(FileContext context, YamlNode node)
    {
        foreach (var scalar in node.AllNodes.OfType<YamlScalarNode>())
        {
            if (scalar.Value is { } value && ToJsonSecrets().IsMatch(value))
            {
                context.Error(scalar, AuditRules.OverprovisionedSecrets, "toJSON(secrets) hands every secret to one place",
                    "pass the single secret that is needed");
            }
        }
    }

    [GeneratedRegex(@"toJSON\s*\(\s*secrets\s*\)", RegexOptions.IgnoreCase)]
    private static partial Regex ToJsonSecrets();
}
