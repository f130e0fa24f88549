using Build.Core;
using YamlDotNet.RepresentationModel;
using static Build.Hardening.WorkflowAudit;

namespace Build.Hardening.Rules;

/// <summary>ACTIONS_ALLOW_UNSECURE_COMMANDS at workflow, job or step level.</summary>
internal sealed class InsecureCommandsRule : IAuditRule
{
    public AuditRule Rule { get; } = new(
        AuditRules.InsecureCommands,
        Severity.Error,
        "`ACTIONS_ALLOW_UNSECURE_COMMANDS` set at workflow, job or step level",
        "Unsafe workflow commands re-enabled");

    public void OnWorkflow(WorkflowScope workflow) => Check(workflow.Context, Child(workflow.Root, "env"));

    public void OnJob(JobScope job) => Check(job.Context, Child(job.Job, "env"));

    public void OnStep(StepScope step) => Check(step.Context, Child(step.Step, "env"));

    private static void Check(FileContext context, YamlNode? env)
    {
        foreach (var (name, value) in Pairs(env))
        {
            if (name.Value == "ACTIONS_ALLOW_UNSECURE_COMMANDS" && Text(value)?.Trim().ToLowerInvariant() is not ("false" or "0" or "" or null))
            {
                context.Error(name, AuditRules.InsecureCommands,
                    "ACTIONS_ALLOW_UNSECURE_COMMANDS turns ::set-env and ::add-path back on: any output line can set variables or the PATH",
                    "remove it; write to $GITHUB_ENV, $GITHUB_PATH or $GITHUB_OUTPUT instead");
            }
        }
    }
}
