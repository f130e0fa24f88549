using YamlDotNet.RepresentationModel;
using static Build.Hardening.WorkflowAudit;

namespace Build.Hardening.Rules;

/// <summary>Walks one loaded workflow (or composite action) and calls every rule's hooks on it, its jobs and its steps.</summary>
internal static class WorkflowWalk
{
    public static void Workflow(FileContext context, YamlMappingNode root)
    {
        var workflow = new WorkflowScope(context, root, isAction: false);
        var rules = AuditRuleRegistry.All;
        foreach (var rule in rules)
        {
            rule.OnWorkflow(workflow);
        }

        foreach (var (name, job) in workflow.Jobs)
        {
            var walked = StepWalk.Of(Child(job, "steps"));
            var steps = walked.Select(item => item.Step).ToList();
            var jobScope = new JobScope(workflow, name, job, steps);
            foreach (var rule in rules)
            {
                rule.OnJob(jobScope);
            }

            foreach (var (step, container, index) in walked)
            {
                var stepScope = new StepScope(workflow, step, job, steps, context.Aliases.AtIndex(container.Start.Index, index));
                foreach (var rule in rules)
                {
                    rule.OnStep(stepScope);
                }
            }
        }
    }

    public static void Action(FileContext context, YamlMappingNode root)
    {
        var action = new WorkflowScope(context, root, isAction: true);
        var rules = AuditRuleRegistry.All;
        foreach (var rule in rules)
        {
            rule.OnAction(action);
        }

        var runs = Child(root, "runs");
        if (Child(runs, "steps") is not YamlSequenceNode)
        {
            return;
        }

        var steps = StepWalk.StepsOf(Child(runs, "steps")).ToList();
        foreach (var step in steps)
        {
            var stepScope = new StepScope(action, step, null, steps, null);
            foreach (var rule in rules)
            {
                rule.OnStep(stepScope);
            }
        }
    }
}
