using Build.Core;
using YamlDotNet.RepresentationModel;
using static Build.Hardening.WorkflowAudit;

namespace Build.Hardening.Rules;

internal sealed class ArtifactPoisoningRule : IAuditRule
{
    public AuditRule Rule { get; } = new(
        AuditRules.ArtifactPoisoning,
        Severity.Error,
        "under `workflow_run`, another run's artifact downloaded into the workspace or unpacked over it (`actions/download-artifact` with `run-id`, " +
            "`dawidd6/action-download-artifact`, a github-script or `gh`/`curl` API download, then `unzip`/`tar`) before a step that runs code from the " +
            "workspace (a build, a script, a package install, a local action, a `require` of a workspace file); nothing when it lands under `${{ " +
                    "runner.temp }}` (a download nothing runs after is dangerous-triggers')",
        "Another run's artifact unpacked over the code that runs next");

    /// <summary>
    /// Under workflow_run, another run's artifact (usually a pull request's) unpacked into the workspace before code from the
    /// workspace runs: the artifact can replace that code. Unpacked under runner.temp, nothing runs it. A download that no
    /// code follows is left to dangerous-triggers, which reports it as bringing in the untrusted head.
    /// </summary>
    public void OnWorkflow(WorkflowScope workflow)
    {
        var context = workflow.Context;
        if (!workflow.HasTrigger("workflow_run"))
        {
            return;
        }

        foreach (var (name, job) in workflow.Jobs)
        {
            var steps = WorkflowScope.StepsOf(job);
            var downloaded = false;
            for (var index = 0; index < steps.Count; index++)
            {
                downloaded |= Artifacts.Downloads(steps[index]);
                if (!downloaded || Artifacts.IntoWorkspace(steps[index]) is not { } how)
                {
                    continue;
                }

                var node = (YamlNode?)Child(steps[index], "uses") ?? Child(steps[index], "run") ?? steps[index];
                var runner = steps.Skip(index + 1).Select(later => (later, What: WorkspaceCode.RunBy(later))).FirstOrDefault(pair => pair.What is not null);
                if (runner.What is not null)
                {
                    context.Error(node, AuditRules.ArtifactPoisoning,
                        $"job {name.Value}: {how}, and line {runner.later.Start.Line} then runs code from the workspace ({runner.What}): the run that made " +
                            "the artifact, a pull request's under workflow_run, can replace that code",
                            "download and unpack artifacts under ${{ runner.temp }} and treat their content as data");
                }

                break;
            }
        }
    }
}
