using System.Runtime.InteropServices;
using Build.Gateway;
using Build.Reporting;
using Build.Tasks;
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
        var problems = context.SettingsProblems.Concat(OutputProblems(context.Settings)).ToList();
        if (problems.Count > 0)
        {
            foreach (var problem in problems)
            {
                context.Error($"  {problem}");
            }

            throw new CakeException(2, $"{problems.Count} setting problem(s), listed above. Fix: {FailureClass.Settings.Fix}");
        }

        // --exclusive on an aggregate (Verify, Default, Summary) would run it alone: nothing checked, yet
        // "passed". Cake's TasksToExecute lists the whole graph even then, so ask the command line.
        var exclusive = Environment.GetCommandLineArgs().Any(argument => argument is "--exclusive" or "-e" or "--exclusive=true");
        if ((exclusive && !VerificationTask.CheckNames.Contains(info.TargetTask.Name))
            || !info.TasksToExecute.Any(task => VerificationTask.CheckNames.Contains(task.Name)))
        {
            context.NoCheckRequested = true;
            throw new CakeException(2, $"--target={info.TargetTask.Name} with --exclusive runs no check: {info.TargetTask.Name} only gathers the checks it depends on. Fix: run ./build.sh --target={info.TargetTask.Name} without --exclusive, or rerun one check with --target=HealthCheck --exclusive (./build.sh --tree lists them).");
        }

        if (context.Log.Verbosity >= Cake.Core.Diagnostics.Verbosity.Diagnostic)
        {
            // Reading the program's own PE header costs a few milliseconds: only when asked.
            context.Log.Write(Cake.Core.Diagnostics.Verbosity.Diagnostic, Cake.Core.Diagnostics.LogLevel.Debug, "{0}", BuildInfo.CodeKind);
        }

        foreach (var notice in context.Settings.Notices)
        {
            context.Info(notice);
            context.Facts.Notes.Add(notice);
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

    /// <summary>Every file the run writes is checked before any task runs: a run never ends unable to report.</summary>
    private static IEnumerable<string> OutputProblems(Build.Settings.VerifySettings settings)
    {
        var outputs = new (string Option, string? Path)[]
        {
            (Build.Settings.ArgumentNames.Report, settings.ReportPath),
            (Build.Settings.ArgumentNames.JUnit, settings.JUnitPath),
            (Build.Settings.ArgumentNames.Sarif, settings.SarifPath),
        };
        foreach (var (option, path) in outputs)
        {
            if (path is not null && !CanCreate(path))
            {
                yield return $"--{option}: cannot be written there (permissions, or a file where a folder should be?); choose a writable path";
            }
        }

        if (settings.StepSummaryPath is { } summary && !CanAppend(summary))
        {
            yield return $"{Build.Settings.EnvironmentNames.GitHubStepSummary}: cannot be appended to; on GitHub Actions the runner sets it, elsewhere unset it or point it at a writable file";
        }
    }

    /// <summary>Whether a file can be created beside <paramref name="path"/> (its folder made if needed); the probe is removed.</summary>
    private static bool CanCreate(string path)
    {
        var full = Path.GetFullPath(path);
        var probe = $"{full}.{Environment.ProcessId}.probe";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(probe, string.Empty);
            return true;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return false;
        }
        finally
        {
            TryDelete(probe);
        }
    }

    private static bool CanAppend(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Append, FileAccess.Write);
            return true;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return false;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
        }
    }

    public override void Teardown(BuildContext context, ITeardownContext info)
    {
        context.DisconnectTailnet();

        // A dry run, --tree or a settings stop ran no task: nothing to report, nothing left behind.
        var ran = context.Results.All.Count > 0 || context.NoCheckRequested;
        if (!context.ReportPublished && ran)
        {
            RunPublisher.Publish(context, printTable: false);
        }

        context.DisposeClients();
        _signals.ForEach(registration => registration.Dispose());

        // The target (a check, or Summary) ends the run with the verdict; should a run reach here otherwise,
        // the exit code still follows the verdict the outputs were written from.
        if (ran && info.ThrownException is null)
        {
            context.Conclude().ThrowIfFailed();
        }
    }
}
