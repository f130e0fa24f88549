using Build.Core;

namespace Build.Hardening.Rules;

/// <summary>A secret pasted into code (where no template-injection finding already stands on the expression).</summary>
internal sealed class SecretsInRunRule : IAuditRule
{
    public AuditRule Rule { get; } = new(
        AuditRules.SecretsInRun,
        Severity.Warning,
        "`${{ secrets.* }}` pasted into a script: a quote in the secret breaks the script and the value lands in the script file; pass it through `env:`",
        "Secret pasted into a script");

    public void OnStep(StepScope step)
    {
        foreach (var pasted in step.Pasted)
        {
            if (pasted.ReadsSecret && !pasted.Traces.Any(pair => pair.Trace.Class != TaintClass.Fixed))
            {
                step.Context.Warning(pasted.Line, AuditRules.SecretsInRun, $"{pasted.Expression.OneLine} pastes a secret into {pasted.Where}",
                    "pass it through env: and use \"$NAME\" in the script");
            }
        }
    }
}
