using Build.Core;
using YamlDotNet.RepresentationModel;
using static Build.Hardening.WorkflowAudit;

namespace Build.Hardening.Rules;

/// <summary>
/// GitHub evaluates an <c>if:</c> as one expression only when <c>${{ }}</c> spans the whole value; with any text around it
/// (a trailing newline from a <c>|</c> block included) the value is a non-empty string, always true (as zizmor's
/// unsound-condition audit judges it).
/// </summary>
internal sealed class UnsoundConditionRule : IAuditRule
{
    public AuditRule Rule { get; } = new(
        AuditRules.UnsoundCondition,
        Severity.Error,
        "an `if:` whose `${{ … }}` does not span the whole value (text around it, or the newline a `|` block keeps): GitHub then evaluates a non-empty " +
            "string, which is always true",
        "Condition that is always true");

    public void OnJob(JobScope job) => Check(job.Context, Child(job.Job, "if"));

    public void OnStep(StepScope step) => Check(step.Context, Child(step.Step, "if"));

    private static void Check(FileContext context, YamlNode? condition)
    {
        if (condition is not YamlScalarNode { Value: { } text } || !text.Contains("${{", StringComparison.Ordinal))
        {
            return;
        }

        var found = Expressions.In(text).ToList();
        var spansAll = found.Count == 1 && found[0].Index == 0 && found[0].Text.Length == text.Length;
        if (!spansAll)
        {
            context.Error(condition, AuditRules.UnsoundCondition,
                "this if: mixes ${{ }} with other text, so GitHub evaluates a non-empty string: the condition is always true",
                "write the whole condition as one expression (if: ${{ a && b }}, or without ${{ }}), and use |- or a plain scalar, not |");
        }
    }
}
