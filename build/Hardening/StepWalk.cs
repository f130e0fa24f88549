using YamlDotNet.RepresentationModel;
using static Build.Hardening.WorkflowAudit;

namespace Build.Hardening;

/// <summary>
/// The steps of a job that run code, in document order, with <c>parallel:</c> groups opened where they stand.
/// GitHub Actions' parallel steps (June 2026): a step <c>parallel: [steps]</c> runs its members at once; the
/// members are uses/run steps (zizmor's github-actions-models, crates/github-actions-models/src/workflow/job.rs,
/// <c>ParallelStep</c>). Deeper groups are opened too, so nothing hides in one. Control steps (<c>wait</c>,
/// <c>wait-all</c>, <c>cancel</c>) run no code and are left out.
/// </summary>
internal static class StepWalk
{
    internal readonly record struct WalkedStep(YamlMappingNode Step, YamlSequenceNode Container, int Index);

    public static IReadOnlyList<WalkedStep> Of(YamlNode? steps)
    {
        var walked = new List<WalkedStep>();
        if (steps is YamlSequenceNode sequence)
        {
            Walk(sequence, walked);
        }

        return walked;
    }

    public static IEnumerable<YamlMappingNode> StepsOf(YamlNode? steps) => Of(steps).Select(walked => walked.Step);

    private static void Walk(YamlSequenceNode sequence, List<WalkedStep> walked)
    {
        for (var index = 0; index < sequence.Children.Count; index++)
        {
            if (sequence.Children[index] is not YamlMappingNode step)
            {
                continue;
            }

            if (Child(step, "parallel") is YamlSequenceNode group)
            {
                Walk(group, walked);
            }
            else if (Child(step, "wait") is null && Child(step, "wait-all") is null && Child(step, "cancel") is null)
            {
                walked.Add(new WalkedStep(step, sequence, index));
            }
        }
    }
}
