using System.Globalization;
using System.Text;
using System.Xml;
using Build.Core;
using Build.Security;

namespace Build.Reporting;

/// <summary>
/// The run as JUnit XML, the format GitHub test reporters, GitLab and Jenkins read: one testsuite per run,
/// one testcase per task; a failure carries its one-line reason and fix, a skip its reason. Every text is
/// redacted, and characters XML cannot hold are dropped.
/// </summary>
public static class JUnitReport
{
    public const string SuiteName = "litellm-tailnet-verify";

    public static string Build(string target, DateTimeOffset started, TimeSpan duration, TaskResults results, RunVerdict verdict, Redactor redactor,
        IReadOnlyList<Gateway.ModelResult>? models = null)
    {
        string Text(string? value) => string.Concat(redactor.Redact(value ?? string.Empty).Where(XmlConvert.IsXmlChar));
        static string Seconds(double seconds) => seconds.ToString("0.000", CultureInfo.InvariantCulture);

        // ChatSmoke's models are cases of their own, right after ChatSmoke's, which then only sums them up: one
        // failure per failed model, not one more for ChatSmoke (the console's "3 of 7 models failed" is 3 failures).
        var cases = results.All.SelectMany(result => result.Name == nameof(Tasks.ChatSmoke) && models is { Count: > 0 }
            ? [result with { Status = CheckStatus.Passed, Detail = result.Detail, Hint = null, FailureId = null }, .. models.Select(ModelCase)]
            : new[] { result }).ToList();

        // A run that failed without a failed check (nothing ran) is one failed case, named for the target,
        // so that a reporter counting failures agrees with the exit code.
        if (!verdict.Passed && !cases.Any(result => result.Status == CheckStatus.Failed))
        {
            cases.Add(new TaskResult(target, CheckStatus.Failed, 0, verdict.Message, verdict.Fix, verdict.Reason?.Replace(' ', '-')));
        }

        var failures = cases.Count(result => result.Status == CheckStatus.Failed).ToString(CultureInfo.InvariantCulture);
        var skipped = cases.Count(result => result.Status == CheckStatus.Skipped).ToString(CultureInfo.InvariantCulture);
        var tests = cases.Count.ToString(CultureInfo.InvariantCulture);

        // A stream, not a StringBuilder: the declaration then says UTF-8, the encoding the file is written in.
        using var output = new MemoryStream();
        using (var xml = XmlWriter.Create(output, new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false) }))
        {
            // Jenkins xunit's junit-10.xsd allows name, time, tests, failures, disabled and errors on <testsuites>: no skipped.
            xml.WriteStartElement("testsuites");
            xml.WriteAttributeString("name", SuiteName);
            xml.WriteAttributeString("tests", tests);
            xml.WriteAttributeString("failures", failures);
            xml.WriteAttributeString("errors", "0");
            xml.WriteAttributeString("time", Seconds(duration.TotalSeconds));

            xml.WriteStartElement("testsuite");
            xml.WriteAttributeString("name", Text(target));
            xml.WriteAttributeString("tests", tests);
            xml.WriteAttributeString("failures", failures);
            xml.WriteAttributeString("errors", "0");
            xml.WriteAttributeString("skipped", skipped);
            xml.WriteAttributeString("time", Seconds(duration.TotalSeconds));
            xml.WriteAttributeString("timestamp", started.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture));

            foreach (var result in cases)
            {
                xml.WriteStartElement("testcase");
                xml.WriteAttributeString("classname", $"{SuiteName}.{Text(target)}");
                xml.WriteAttributeString("name", Text(result.Name));
                xml.WriteAttributeString("time", Seconds(result.DurationMs / 1000.0));
                switch (result.Status)
                {
                    case CheckStatus.Failed:
                        var line = result.Hint is null ? Text(result.Detail) : $"{Text(result.Detail).TrimEnd('.')}. Fix: {Text(result.Hint)}";
                        xml.WriteStartElement("failure");
                        xml.WriteAttributeString("message", line);
                        xml.WriteAttributeString("type", Text(result.FailureId ?? "failed"));
                        xml.WriteString(line);
                        xml.WriteEndElement();
                        break;
                    case CheckStatus.Skipped:
                        xml.WriteStartElement("skipped");
                        xml.WriteAttributeString("message", Text(result.Detail));
                        xml.WriteEndElement();
                        break;
                    default:
                        xml.WriteElementString("system-out", Text(result.Detail));
                        break;
                }

                xml.WriteEndElement();
            }

            xml.WriteEndElement();
            xml.WriteEndElement();
        }

        return Encoding.UTF8.GetString(output.ToArray()) + Environment.NewLine;
    }

    private static TaskResult ModelCase(Gateway.ModelResult model) => new(
        $"{nameof(Tasks.ChatSmoke)}[{model.Model}]",
        model.Passed ? CheckStatus.Passed : CheckStatus.Failed,
        model.Outcome?.LatencyMs ?? 0,
        model.Detail,
        model.Failure?.Fix,
        model.Failure?.Id);

    public static void Write(string path, string xml) => OutputFile.WriteAllText(path, xml);
}
