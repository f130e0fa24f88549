using Build.Core;

namespace Build.Hardening.Rules;

/// <summary>An outsider's value pasted into code is an error; a value Harden cannot trace a warning that says why (<see cref="TaintTracer"/>).</summary>
internal sealed class TemplateInjectionRule : IAuditRule
{
    public AuditRule Rule { get; } = new(
        AuditRules.TemplateInjection,
        Severity.Error,
        "`${{ … }}` pasted into `run:` or into an input that runs as code (`actions/github-script` `script`, and CodeQL's code-injection models in " +
            "`build/Hardening/Data/code-injection-sinks.yml`), by the taint of its value: an outsider's (titles, bodies, branch names, `type: string` " +
            "inputs, `github.head_ref`…) is an error; a value Harden cannot trace (an action's output, an env value set at run time, command output) a " +
                    "warning that says why; a fixed one (SHAs, numbers and ids, `author_association`, repository and owner names, outcomes, literals, " +
                        "`choice`/`boolean`/`number` inputs, true or false from a comparison, `!` or one `contains`/`startsWith`/`endsWith` call) nothing. " +
                        "Taint is followed through `env:`, `$GITHUB_ENV` and `$GITHUB_OUTPUT` writes, `steps.*.outputs.*`, `needs.*.outputs.*`, the " +
                                "matrix and `format`/`join`/`toJSON`/`fromJSON` (see [Taint classes](#taint-classes))",
        "Outsider-controlled expression pasted into code");

    public void OnStep(StepScope step)
    {
        foreach (var pasted in step.Pasted)
        {
            var attacker = pasted.Of(TaintClass.Attacker).ToList();
            var unknown = pasted.Of(TaintClass.Unknown).ToList();
            if (attacker.Count > 0)
            {
                var named = attacker.Select(pair => pair.Trace.Origin == pair.Name ? pair.Name : $"{pair.Name} from {pair.Trace.Origin}");
                step.Context.Error(pasted.Line, AuditRules.TemplateInjection,
                    $"{pasted.Expression.OneLine} ({string.Join(", ", named)}) is pasted into {pasted.Where}",
                    "pass it through env: and use \"$NAME\" in the script");
            }
            else if (unknown.Count > 0)
            {
                var why = unknown.Select(pair => pair.Trace.Reason).Distinct();
                step.Context.Warning(pasted.Line, AuditRules.TemplateInjection,
                    $"{pasted.Expression.OneLine} ({string.Join(", ", unknown.Select(pair => pair.Name))}) is pasted into {pasted.Where}, and Harden cannot " +
                        $"tell who chooses it: {string.Join("; ", why)}", "pass it through env: and use \"$NAME\" in the script");
            }
        }
    }
}
