using System.Runtime.InteropServices;
using Build.Gateway;
using Build.Reporting;
using Cake.Core;
using Cake.Frosting;

namespace Build;

/// <summary>
/// Before the first task: stop on bad settings (every problem listed at once) and catch Ctrl-C,
/// SIGTERM (a cancelled job, <c>timeout</c>, <c>docker stop</c>) and SIGHUP (a closed terminal) alike.
/// After the last: publish the report if Summary did not run, and release what the run held.
/// </summary>
public sealed class BuildLifetime : FrostingLifetime<BuildContext>
{
    private static readonly PosixSignal[] Interruptions = [PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP];
    private readonly List<PosixSignalRegistration> _signals = [];

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

        foreach (var signal in Interruptions)
        {
            // Cancel instead of dying: the running task stops, and teardown logs out and cleans up.
            _signals.Add(PosixSignalRegistration.Create(signal, interruption =>
            {
                interruption.Cancel = true;
                context.Cancellation.Cancel();
            }));
        }
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
        _signals.ForEach(registration => registration.Dispose());
    }
}
