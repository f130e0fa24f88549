using Build.Core;
using YamlDotNet.RepresentationModel;
using static Build.Hardening.WorkflowAudit;

namespace Build.Hardening.Rules;

/// <summary>Actions and reusable workflows pinned to a commit (or, where the profile allows, a tag); docker images to a digest.</summary>
internal sealed class UnpinnedUsesRule : IAuditRule
{
    public AuditRule Rule { get; } = new(
        AuditRules.UnpinnedUses,
        Severity.Error,
        "`uses:` (steps and job-level reusable workflows) not pinned to a 40-hex commit (local `./` exempt; `docker://` needs `@sha256:`); a " +
            "look-alike name is not the real action",
        "Action or reusable workflow not pinned to a commit");

    public void OnAction(WorkflowScope action)
    {
        var runs = Child(action.Root, "runs");
        if (Text(Child(runs, "image")) is { } image && image.StartsWith("docker://", StringComparison.Ordinal)
            && !image.Contains("@sha256:", StringComparison.Ordinal))
        {
            action.Context.Error(Child(runs, "image")!, AuditRules.UnpinnedUses, $"{image} is not pinned to a digest",
                "pin the image as docker://image@sha256:<digest>");
        }
    }

    public void OnJob(JobScope job)
    {
        if (Child(job.Job, "uses") is YamlScalarNode reusable)
        {
            Check(job.Context, reusable);
        }
    }

    public void OnStep(StepScope step)
    {
        if (Child(step.Step, "uses") is YamlScalarNode uses)
        {
            Check(step.Context, uses);
        }
    }

    private static void Check(FileContext context, YamlScalarNode uses)
    {
        var value = uses.Value ?? string.Empty;
        if (value.StartsWith("./", StringComparison.Ordinal))
        {
            return;
        }

        if (value.StartsWith("docker://", StringComparison.Ordinal))
        {
            if (!value.Contains("@sha256:", StringComparison.Ordinal))
            {
                context.Error(uses, AuditRules.UnpinnedUses, $"{value} is not pinned to a digest", "pin the image as docker://image@sha256:<digest>");
            }

            return;
        }

        var at = value.LastIndexOf('@');
        if (at > 0 && context.Profile.AllowsRefPin(value.Split('/')[0]))
        {
            return; // the profile lets this owner's actions be pinned to a tag or branch
        }

        if (at < 0 || !PinnedCommit().IsMatch(value[(at + 1)..]))
        {
            context.Error(uses, AuditRules.UnpinnedUses, $"{value} is not pinned to a commit",
                "pin to the full 40-character commit and keep the version in a comment: uses: owner/action@<sha> # vX.Y.Z");
        }
    }
}
