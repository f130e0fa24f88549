using YamlDotNet.RepresentationModel;
using static Build.Hardening.WorkflowAudit;

namespace Build.Hardening.Rules;

/// <summary>A loaded workflow or composite action: where findings go, its triggers, typed inputs, jobs and the taint tracer.</summary>
internal sealed class WorkflowScope
{
    public WorkflowScope(FileContext context, YamlMappingNode root, bool isAction)
    {
        Context = context;
        Root = root;
        IsAction = isAction;
        var triggers = Child(root, "on") ?? Child(root, "true");
        Triggers = isAction ? [] : triggers switch
        {
            YamlScalarNode scalar => [scalar],
            YamlSequenceNode sequence => sequence.Children.OfType<YamlScalarNode>().ToList(),
            YamlMappingNode mapping => mapping.Children.Keys.OfType<YamlScalarNode>().ToList(),
            _ => [],
        };
        var inputTypes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var trigger in isAction ? [] : new[] { "workflow_dispatch", "workflow_call" })
        {
            foreach (var (name, input) in Pairs(Child(Child(triggers, trigger), "inputs")))
            {
                inputTypes[name.Value!] = Text(Child(input, "type")) ?? "string";
            }
        }

        Tracer = new TaintTracer(root, inputTypes, isAction);
        Jobs = isAction ? [] : Pairs(Child(root,
            "jobs")).Where(pair => pair.Value is YamlMappingNode).Select(pair => (pair.Key, (YamlMappingNode)pair.Value)).ToList();
    }

    public FileContext Context { get; }

    public YamlMappingNode Root { get; }

    public bool IsAction { get; }

    public IReadOnlyList<YamlScalarNode> Triggers { get; }

    public TaintTracer Tracer { get; }

    public IReadOnlyList<(YamlScalarNode Name, YamlMappingNode Job)> Jobs { get; }

    public bool HasTrigger(params string[] names) => Triggers.Any(trigger => names.Contains(trigger.Value, StringComparer.Ordinal));

    /// <summary>A job's steps that run code, in order, parallel groups opened.</summary>
    public static IReadOnlyList<YamlMappingNode> StepsOf(YamlMappingNode job) => StepWalk.StepsOf(Child(job, "steps")).ToList();
}

/// <summary>One job of a workflow, with the steps that run code.</summary>
internal sealed record JobScope(WorkflowScope Workflow, YamlScalarNode Name, YamlMappingNode Job, IReadOnlyList<YamlMappingNode> Steps)
{
    public FileContext Context => Workflow.Context;
}

/// <summary>One step, with its job (none in a composite action), the job's steps, and the line of the alias that brought it in, if any.</summary>
internal sealed record StepScope(WorkflowScope Workflow, YamlMappingNode Step, YamlMappingNode? Job, IReadOnlyList<YamlMappingNode> Steps, int? AliasLine)
{
    private IReadOnlyList<PastedExpressions.Pasted>? _pasted;

    public FileContext Context => Workflow.Context;

    public TraceScope Trace => new(Step, Job, Steps);

    /// <summary>The expressions the step pastes into code, traced once for the rules that read them.</summary>
    public IReadOnlyList<PastedExpressions.Pasted> Pasted => _pasted ??= PastedExpressions.In(this).ToList();
}
