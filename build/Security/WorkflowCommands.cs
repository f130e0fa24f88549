using Build.Core;

namespace Build.Security;

/// <summary>
/// GitHub Actions workflow commands. Outside GitHub Actions it prints nothing: a mask printed on a
/// laptop would only show the value. Everything but a mask's own value passes the redactor.
/// </summary>
public sealed class WorkflowCommands(bool enabled, TextWriter output, Func<string, string>? redact = null) : ICiHost
{
    private readonly Func<string, string> _redact = redact ?? (text => text);

    public bool Enabled => enabled;

    /// <summary>Masks a value from now on. Escaped as the runner expects, or only its first line would be masked.</summary>
    public void AddMask(string? value)
    {
        if (!enabled || string.IsNullOrEmpty(value))
        {
            return;
        }

        output.WriteLine($"::add-mask::{EscapeData(value)}");
        output.Flush();
    }

    public void StartGroup(string title)
    {
        if (enabled)
        {
            output.WriteLine($"::group::{EscapeData(_redact(title))}");
        }
    }

    public void EndGroup()
    {
        if (enabled)
        {
            output.WriteLine("::endgroup::");
        }
    }

    public void Annotation(string level, string message, string? title = null, string? file = null, int? line = null)
    {
        if (!enabled)
        {
            return;
        }

        var properties = new List<string>();
        if (file is not null)
        {
            properties.Add($"file={EscapeProperty(_redact(file))}");
        }

        if (line is not null)
        {
            properties.Add($"line={line}");
        }

        if (title is not null)
        {
            properties.Add($"title={EscapeProperty(_redact(title))}");
        }

        var head = properties.Count > 0 ? $"::{level} {string.Join(',', properties)}::" : $"::{level}::";
        output.WriteLine(head + EscapeData(_redact(message)));
    }

    public static string EscapeData(string value) =>
        value.Replace("%", "%25", StringComparison.Ordinal)
            .Replace("\r", "%0D", StringComparison.Ordinal)
            .Replace("\n", "%0A", StringComparison.Ordinal);

    public static string EscapeProperty(string value) =>
        EscapeData(value)
            .Replace(":", "%3A", StringComparison.Ordinal)
            .Replace(",", "%2C", StringComparison.Ordinal);
}
