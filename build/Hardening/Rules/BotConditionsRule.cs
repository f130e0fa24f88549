using System.Text.RegularExpressions;
using Build.Core;
using YamlDotNet.RepresentationModel;
using static Build.Hardening.WorkflowAudit;

namespace Build.Hardening.Rules;

internal sealed partial class BotConditionsRule : IAuditRule
{
    public AuditRule Rule { get; } = new(
        AuditRules.BotConditions,
        Severity.Error,
        "an `if:` that trusts `github.actor` or `github.triggering_actor` `== '…[bot]'` (spoofable; check `github.event.pull_request.user.login`)",
        "Spoofable bot check in a condition");

    public void OnJob(JobScope job) => Check(job.Context, Child(job.Job, "if"));

    public void OnStep(StepScope step) => Check(step.Context, Child(step.Step, "if"));

    private static void Check(FileContext context, YamlNode? condition)
    {
        if (condition is YamlScalarNode { Value: { } text } && BotActor().Match(text) is { Success: true } match)
        {
            context.Error(condition, AuditRules.BotConditions,
                $"{match.Value.Trim()} can be spoofed: github.actor is whoever acted last, not who opened the pull request",
                "check github.event.pull_request.user.login (and avoid pull_request_target for bot automation)");
        }
    }

    [GeneratedRegex(@"github\.(?:actor|triggering_actor)\s*==\s*'[^']*\[bot\]'|'[^']*\[bot\]'\s*==\s*github\.(?:actor|triggering_actor)")]
    private static partial Regex BotActor();
}
