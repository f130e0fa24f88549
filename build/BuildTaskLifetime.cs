using Cake.Core;
using Cake.Frosting;

namespace Build;

/// <summary>Opens a CI log group around each task and records how long it took.</summary>
public sealed class BuildTaskLifetime : FrostingTaskLifetime<BuildContext>
{
    public override void Setup(BuildContext context, ITaskSetupContext info) => context.Run.Commands.StartGroup(info.Task.Name);

    public override void Teardown(BuildContext context, ITaskTeardownContext info)
    {
        context.State.Results.Complete(info.Task.Name, info.Duration);
        context.Run.Commands.EndGroup();
    }
}
