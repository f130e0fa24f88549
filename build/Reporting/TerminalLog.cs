using System.Globalization;
using Cake.Core.Diagnostics;

namespace Build.Reporting;

/// <summary>
/// The console log, by the terminal conventions Cake's own log does not follow (it writes ANSI codes into pipes
/// and files whenever TERM names a colour terminal, and bright white for ordinary lines): colour only on a
/// terminal, or on GitHub Actions (its log viewer renders ANSI), never with NO_COLOR set; ordinary lines in the
/// terminal's default colour; warnings yellow; errors red, on standard error, like Cake's.
/// </summary>
public sealed class TerminalLog(Verbosity verbosity) : ICakeLog
{
    private const string Reset = "\u001b[0m";
    private readonly Lock _lock = new();
    private readonly bool _colourOut = UseColour(Console.IsOutputRedirected);
    private readonly bool _colourError = UseColour(Console.IsErrorRedirected);

    public Verbosity Verbosity { get; set; } = verbosity;

    /// <summary>Whether a stream gets colour: not with NO_COLOR (no-color.org), and only where a reader renders it.</summary>
    public static bool UseColour(bool redirected, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        if (!string.IsNullOrEmpty(environment("NO_COLOR")) || environment("TERM") == "dumb")
        {
            return false;
        }

        return !redirected || string.Equals(environment("GITHUB_ACTIONS"), "true", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The colour of a level: none for ordinary lines, so they read on light and dark terminals alike.</summary>
    public static string? ColourOf(LogLevel level) => level switch
    {
        LogLevel.Fatal or LogLevel.Error => "\u001b[31m",
        LogLevel.Warning => "\u001b[33m",
        LogLevel.Verbose or LogLevel.Debug => "\u001b[2m",
        _ => null,
    };

    public void Write(Verbosity verbosity, LogLevel level, string format, params object[] args)
    {
        if (verbosity > Verbosity)
        {
            return;
        }

        var message = args.Length == 0 ? format : string.Format(CultureInfo.InvariantCulture, format, args);
        var toError = level <= LogLevel.Error;
        var colour = (toError ? _colourError : _colourOut) ? ColourOf(level) : null;
        var line = colour is null ? message : $"{colour}{message}{Reset}";
        lock (_lock)
        {
            (toError ? Console.Error : Console.Out).WriteLine(line);
        }
    }
}
