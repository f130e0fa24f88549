using YamlDotNet.RepresentationModel;
using static Build.Hardening.WorkflowAudit;

namespace Build.Hardening.Rules;

/// <summary>
/// Every <c>${{ … }}</c> a step pastes into code: its <c>run:</c> script, and the inputs of actions that run an input as code
/// (<see cref="InjectionSinks"/>), each with its line, where it lands, and the trace of each context it reads.
/// template-injection and secrets-in-run read the same list.
/// </summary>
internal static class PastedExpressions
{
    public sealed record Pasted(Expressions.Found Expression, int Line, string Where, IReadOnlyList<(string Name, Trace Trace)> Traces)
    {
        public IEnumerable<(string Name, Trace Trace)> Of(TaintClass taint) => Traces.Where(pair => pair.Trace.Class == taint);

        public bool ReadsSecret => Expression.Contexts.Any(TaintTracer.IsSecret);
    }

    public static IEnumerable<Pasted> In(StepScope scope)
    {
        var step = scope.Step;
        if (Child(step, "uses") is YamlScalarNode uses && InjectionSinks.Of(uses.Value ?? string.Empty) is { } sink)
        {
            foreach (var input in sink.Inputs)
            {
                if (Child(Child(step, "with"), input) is YamlScalarNode code)
                {
                    foreach (var pasted in In(scope, code, $"the {input} input of {uses.Value!.Split('@')[0]} (it is {sink.Reason})", scope.AliasLine))
                    {
                        yield return pasted;
                    }
                }
            }
        }

        if (Child(step, "run") is YamlScalarNode run)
        {
            foreach (var pasted in In(scope, run, "the script before it runs", scope.AliasLine ?? scope.Context.Aliases.AtKey(step.Start.Index, "run")))
            {
                yield return pasted;
            }
        }
    }

    private static IEnumerable<Pasted> In(StepScope scope, YamlScalarNode code, string where, int? aliasLine)
    {
        var searchFrom = 0;
        var trace = scope.Trace;
        foreach (var expression in Expressions.In(code.Value ?? string.Empty))
        {
            var line = scope.Context.LineOf(code, expression.Text, ref searchFrom);

            // A comparison or contains() yields true or false, whatever the text it reads.
            var traces = expression.IsBoolean
                ? []
                : expression.Contexts.Where(name => !TaintTracer.IsSecret(name)).Select(name => (name, scope.Workflow.Tracer.OfContext(name, trace))).ToList();
            yield return new Pasted(expression, aliasLine ?? line, where, traces);
        }
    }
}
