using Cake.Frosting;

namespace Build.Tasks;

[TaskName("Default")]
[TaskDescription("Same as Verify (the target when none is given)")]
[IsDependentOn(typeof(Verify))]
public sealed class DefaultTask : FrostingTask<BuildContext>
{
}
