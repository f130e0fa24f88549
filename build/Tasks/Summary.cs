using Build.Reporting;
using Cake.Core;
using Cake.Frosting;

namespace Build.Tasks;

[TaskDescription("Prints the results table, writes the JSON report and the GitHub step summary; fails the run when a check failed")]
[IsDependentOn(typeof(ChatSmoke))]
public sealed class Summary : FrostingTask<BuildContext>
{
    public override void Run(BuildContext context)
    {
        context.DisconnectTailnet();
        RunPublisher.Publish(context, printTable: true);
        if (!context.Results.AnyChecked)
        {
            throw new CakeException(1, $"{RunReport.NoCheckRan}: every check was skipped. Fix: run ./build.sh --target=Verify to run them all.");
        }

        if (context.Results.FirstFailure is { } failure)
        {
            var failed = context.Results.All.Count(result => result.Status == CheckStatus.Failed);
            throw new CakeException(1, $"{failed} check(s) failed; first {failure.Name}: {failure.Detail.TrimEnd('.')}. Fix: {failure.Hint}");
        }
    }
}
