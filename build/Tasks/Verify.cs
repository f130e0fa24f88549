using Cake.Frosting;

namespace Build.Tasks;

[TaskDescription("Runs every check and the summary: the command for CI and for a pre-push check")]
[IsDependentOn(typeof(Summary))]
public sealed class Verify : FrostingTask<BuildContext>
{
}
