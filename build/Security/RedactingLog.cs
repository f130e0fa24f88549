using System.Globalization;
using Cake.Core.Diagnostics;

namespace Build.Security;

/// <summary>
/// Cake's log behind the redactor: every line Cake or a task logs, including the engine's own
/// "Error: …" lines built from exception messages, passes the one redaction point.
/// </summary>
public sealed class RedactingLog(ICakeLog inner, Redactor redactor) : ICakeLog
{
    public Verbosity Verbosity
    {
        get => inner.Verbosity;
        set => inner.Verbosity = value;
    }

    // Cake's engine announces every task error; each check already reports its own failure and the
    // run ends with one Error: line, so the announcement would only repeat it.
    private const string TaskErrorAnnouncement = "An error occurred when executing task";

    public void Write(Verbosity verbosity, LogLevel level, string format, params object[] args)
    {
        var message = args.Length == 0 ? format : string.Format(CultureInfo.InvariantCulture, format, args);
        if (level == LogLevel.Error && message.StartsWith(TaskErrorAnnouncement, StringComparison.Ordinal))
        {
            return;
        }

        inner.Write(verbosity, level, "{0}", redactor.Redact(message));
    }
}
