using Spectre.Console;

namespace Build.Reporting;

/// <summary>Writes the table, the JSON report and the step summary, once per run.</summary>
public static class RunPublisher
{
    public static void Publish(IPublishedRun context, bool printTable)
    {
        context.ReportPublished = true;
        var redactor = context.Redactor;
        var verdict = context.Conclude();
        if (printTable)
        {
            SummaryTable.WriteConsole(AnsiConsole.Console, context.Results, verdict, redactor, context.Facts);
        }

        var report = Report(context, verdict);
        try
        {
            RunReport.Write(context.Settings.ReportPath, report);
            context.Info($"Report: {context.Settings.ReportPath}");
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            context.Warn($"Could not write the report to {context.Settings.ReportPath} ({exception.GetType().Name}). Fix: choose a writable --report path.");
        }

        if (context.Settings.JUnitPath is { } junitPath)
        {
            try
            {
                JUnitReport.Write(junitPath, JUnitReport.Build(context.Target, context.Started, DateTimeOffset.UtcNow - context.Started, context.Results,
                    verdict, redactor, context.Facts.Models));
                context.Info($"JUnit: {junitPath}");
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                context.Warn($"Could not write the JUnit file to {junitPath} ({exception.GetType().Name}). Fix: choose a writable --junit path.");
            }
        }

        if (context.Settings.StepSummaryPath is { } summaryPath)
        {
            try
            {
                var markdown = SummaryTable.Markdown(context.Results, verdict, context.Facts, context.EgressPolicy, redactor);
                File.AppendAllText(summaryPath, redactor.Redact(markdown));
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                context.Warn($"Could not append to GITHUB_STEP_SUMMARY ({exception.GetType().Name}).");
            }
        }
    }

    /// <summary>
    /// After a settings error no task runs; the report at the report path (the one given, if it could be read, or
    /// the default) is replaced by one that says so, so an upload of an earlier green report cannot happen.
    /// </summary>
    public static void PublishSettingsFailure(IPublishedRun context, int problems, bool reportPathIsAProblem)
    {
        context.ReportPublished = true;
        var verdict = context.FailOnSettings(problems);
        if (reportPathIsAProblem || context.SettingsReportPath is not { } path)
        {
            return;
        }

        try
        {
            RunReport.Write(path, Report(context, verdict));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // The settings problems are the line to read; a report that cannot be written adds nothing.
        }
    }

    private static Newtonsoft.Json.Linq.JObject Report(IPublishedRun context, RunVerdict verdict) => RunReport.Build(
        context.Target,
        context.Started,
        DateTimeOffset.UtcNow - context.Started,
        context.Results,
        verdict,
        context.Facts,
        context.EgressPolicy,
        context.TlsVerification,
        context.Redactor,
        (context.Settings.Deadline, context.Settings.SweepDeadline));
}
