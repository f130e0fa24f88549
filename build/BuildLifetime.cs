using System.Runtime.InteropServices;
using Build.Core;
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
public sealed class BuildLifetime(TargetSelection selection) : FrostingLifetime<BuildContext>
{
    private static readonly PosixSignal[] Interruptions = [PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP];
    private readonly List<PosixSignalRegistration> _signals = [];

    public override void Setup(BuildContext context, ISetupContext info)
    {
        context.State.Target = info.TargetTask.Name;
        var problems = context.Run.SettingsProblems.Concat(OutputProblems(context.Run.Settings)).ToList();
        if (problems.Count > 0)
        {
            foreach (var problem in problems)
            {
                context.Error($"  {problem}");
            }

            // A report left from an earlier run must not stay green: it is replaced by this run's, which failed on settings.
            var reportRefused = problems.Any(problem => problem.StartsWith($"--{Build.Settings.ArgumentNames.Report}", StringComparison.Ordinal));
            RunPublisher.PublishSettingsFailure(context, problems.Count, reportRefused);
            throw new CakeException(2, $"{problems.Count} setting problem(s), listed above. Fix: {FailureClass.Settings.Fix}");
        }

        // --exclusive on an aggregate (Verify, Default, Summary) would run it alone: nothing checked, yet
        // "passed". Cake's TasksToExecute lists the whole graph even then, so the host's reading of the command line decides.
        if ((selection.Exclusive && !Checks.Names.Contains(info.TargetTask.Name))
            || !info.TasksToExecute.Any(task => Checks.Names.Contains(task.Name)))
        {
            context.State.NoCheckRequested = true;
            throw new CakeException(2,
                $"--target={info.TargetTask.Name} with --exclusive runs no check: {info.TargetTask.Name} only gathers the checks it depends on. Fix: run " +
                    $"{CakeHost.ScriptName} --target={info.TargetTask.Name} without --exclusive, or rerun one check with --target=HealthCheck --exclusive " +
                    $"({CakeHost.ScriptName} --tree lists them).");
        }

        if (context.Log.Verbosity >= Cake.Core.Diagnostics.Verbosity.Diagnostic)
        {
            // Reading the program's own PE header costs a few milliseconds: only when asked.
            context.Log.Write(Cake.Core.Diagnostics.Verbosity.Diagnostic, Cake.Core.Diagnostics.LogLevel.Debug, "{0}", BuildInfo.CodeKind);
        }

        foreach (var note in context.Run.Settings.Notes)
        {
            context.Info(note);
            context.State.Facts.Notes.Add(note);
        }

        if (context.Run.Settings.Insecure)
        {
            const string warning = "TLS verification is OFF (--insecure): the gateway's identity is not checked and the key can be " +
                "intercepted. Use --ca-cert instead.";
            context.Warn(warning);
            context.State.Facts.Warnings.Add(warning);
            context.Run.Commands.Annotation("warning", warning, "insecure");
        }

        foreach (var signal in Interruptions)
        {
            // Cancel instead of dying: the running task stops, and teardown logs out and cleans up.
            _signals.Add(PosixSignalRegistration.Create(signal, interruption =>
            {
                interruption.Cancel = true;
                context.State.Cancellation.Cancel();
            }));
        }
    }

    /// <summary>
    /// Every file the run writes is checked before any task runs, and all problems are listed at once: a run
    /// never ends unable to report, and never writes anywhere but a new or regular file in an existing folder
    /// (the default report's own folder is made).
    /// </summary>
    private static IEnumerable<string> OutputProblems(Build.Settings.VerifySettings settings)
    {
        var defaultReport = Build.Settings.RepositoryRoot.Resolve(Build.Settings.SettingsReader.DefaultReportPath);
        var outputs = new (string Option, string? Path)[]
        {
            (Build.Settings.ArgumentNames.Report, settings.ReportPath),
            (Build.Settings.ArgumentNames.JUnit, settings.JUnitPath),
            (Build.Settings.ArgumentNames.Sarif, settings.SarifPath),
        };
        var given = outputs.Where(output => output.Path is not null).Select(output => (output.Option, Path: Path.GetFullPath(output.Path!))).ToList();
        foreach (var same in given.GroupBy(output => output.Path, StringComparer.Ordinal).Where(group => group.Count() > 1))
        {
            yield return $"{string.Join(" and ", same.Select(output => $"--{output.Option}"))}: the same file is given for each; give each output its own path";
        }

        foreach (var (option, path) in given)
        {
            var folder = Path.GetDirectoryName(path)!;
            var kind = OutputFile.KindOf(path);
            if (kind is not (OutputFile.Kind.Missing or OutputFile.Kind.Regular))
            {
                var what = kind switch { OutputFile.Kind.Directory => "a folder", OutputFile.Kind.Link => "a link", _ => "a device or a pipe" };
                yield return $"--{option}: the path exists and is not a regular file ({what}); it is never replaced: choose a new file path";
            }
            else if (!Directory.Exists(folder) && path != defaultReport)
            {
                yield return $"--{option}: cannot be written there: its folder does not exist; create the folder first or choose another path";
            }
            else if (!CanCreate(folder))
            {
                yield return $"--{option}: cannot be written there (permissions, or a file where a folder should be?); choose a writable path";
            }
        }

        if (settings.StepSummaryPath is { } summary && !CanAppend(summary))
        {
            yield return $"{Build.Settings.EnvironmentNames.GitHubStepSummary}: cannot be appended to; on GitHub Actions the runner sets it, elsewhere unset " +
                "it or point it at a writable file";
        }
    }

    /// <summary>Whether a new file can be made in <paramref name="folder"/> (made first if needed), by the writer's own exclusive creation.</summary>
    private static bool CanCreate(string folder)
    {
        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return false;
        }

        return OutputFile.CanCreateIn(folder);
    }

    private static bool CanAppend(string path)
    {
        if (OutputFile.KindOf(path) is not (OutputFile.Kind.Missing or OutputFile.Kind.Regular))
        {
            return false;
        }

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

    public override void Teardown(BuildContext context, ITeardownContext info)
    {
        context.DisconnectTailnet();

        // A dry run, --tree or a settings stop ran no task: nothing to report, nothing left behind.
        var ran = context.State.Results.All.Count > 0 || context.State.NoCheckRequested;
        if (!context.State.ReportPublished && ran)
        {
            RunPublisher.Publish(context, printTable: false);
        }

        context.DisposeClients();
        _signals.ForEach(registration => registration.Dispose());

        // The target (a check, or Summary) ends the run with the verdict; should a run reach here otherwise,
        // the exit code still follows the verdict the outputs were written from.
        if (ran && info.ThrownException is null)
        {
            context.State.Conclude().ThrowIfFailed();
        }
    }
}
