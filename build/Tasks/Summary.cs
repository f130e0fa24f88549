using Build.Reporting;
using Cake.Frosting;

namespace Build.Tasks;

[TaskDescription("Prints the results table, writes the JSON report and the GitHub step summary; fails the run when a check failed or none ran")]
[IsDependentOn(typeof(ChatSmoke))]
public sealed class Summary : FrostingTask<BuildContext>
{
    public override void Run(BuildContext context)
    {
        context.DisconnectTailnet();
        RunPublisher.Publish(context, printTable: true);
        context.State.Conclude().ThrowIfFailed();
    }
}
