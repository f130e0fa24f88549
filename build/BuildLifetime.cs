using Build.Gateway;
using Build.Reporting;
using Cake.Core;
using Cake.Frosting;

namespace Build;

/// <summary>
/// Before the first task: stop on bad settings (every problem listed at once) and catch Ctrl-C.
/// After the last: publish the report if Summary did not run, and release what the run held.
/// </summary>
public sealed class BuildLifetime : FrostingLifetime<BuildContext>
{
    public override void Setup(BuildContext context, ISetupContext info)
    {
        context.Target = info.TargetTask.Name;
        if (context.SettingsProblems.Count > 0)
        {
            foreach (var problem in context.SettingsProblems)
            {
                context.Error($"  {problem}");
            }

            throw new CakeException(2, $"{context.SettingsProblems.Count} setting problem(s), listed above. Fix: {FailureClass.Settings.Fix}");
        }

        if (context.Settings.Insecure)
        {
            const string warning = "TLS verification is OFF (--insecure): the gateway's identity is not checked and the key can be intercepted. Use --ca-cert instead.";
            context.Warn(warning);
            context.Facts.Warnings.Add(warning);
            context.Commands.Annotation("warning", warning, "insecure");
        }

        Console.CancelKeyPress += OnCancel(context);
    }

    public override void Teardown(BuildContext context, ITeardownContext info)
    {
        context.DisconnectTailnet();

        // A dry run, --tree or a settings stop ran no task: nothing to report, nothing left behind.
        if (!context.ReportPublished && context.Results.All.Count > 0)
        {
            RunPublisher.Publish(context, printTable: false);
        }

        context.DisposeClients();
    }

    private static ConsoleCancelEventHandler OnCancel(BuildContext context) => (_, args) =>
    {
        // Let the running task stop and the teardown clean up, instead of dying mid-request.
        args.Cancel = true;
        context.Cancellation.Cancel();
    };
}
