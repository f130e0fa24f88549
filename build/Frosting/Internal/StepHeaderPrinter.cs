using Cake.Cli;
using Cake.Core;
using Cake.Core.Diagnostics;
using Spectre.Console;

namespace Cake.Frosting.Internal;

/// <summary>
/// Cake's step headers, without Cake's closing duration table (the build prints its own summary:
/// status, detail, fix) and without the Setup and TearDown banners, which would head nothing.
/// </summary>
/// <param name="silent">Tasks that do nothing themselves (aggregates such as Verify): no header, which would head nothing.</param>
internal sealed class StepHeaderPrinter(IAnsiConsole console, IReadOnlySet<string>? silent = null) : ICakeReportPrinter
{
    /// <summary>Cake's header table is 100 columns wide, or the console's width when narrower.</summary>
    private const int HeaderWidth = 100;

    private readonly CakeSpectreReportPrinter _inner = new(console);

    public void Write(CakeReport report)
    {
    }

    public void WriteStep(string name, Verbosity verbosity)
    {
        if (verbosity < Verbosity.Normal || (silent?.Contains(name) ?? false))
        {
            return;
        }

        // The same characters Cake's printer draws (a padded one-column table with a double border; compared
        // in the tests), written directly: laying out the first Spectre table of a run is measurably slower (docs/performance.md).
        if (DrawnHeader(name, console.Profile.Width, console.Profile.Capabilities.Unicode) is { } header)
        {
            console.Profile.Out.Writer.Write(header);
            return;
        }

        _inner.WriteStep(name, verbosity);
    }

    public void WriteLifeCycleStep(string name, Verbosity verbosity)
    {
    }

    public void WriteSkippedStep(string name, Verbosity verbosity) => _inner.WriteSkippedStep(name, verbosity);

    /// <summary>Cake's step header as text, or null where only Spectre knows the layout (no Unicode, a name it would cut, markup).</summary>
    internal static string? DrawnHeader(string name, int consoleWidth, bool unicode)
    {
        var width = Math.Min(HeaderWidth, consoleWidth);
        if (!unicode || name.Length + 4 > width)
        {
            return null;
        }

        foreach (var character in name)
        {
            if (!char.IsAsciiLetterOrDigit(character))
            {
                return null;
            }
        }

        var line = Environment.NewLine;
        var border = new string('═', width);
        return $"{new string(' ', width)}{line}{border}{line}{(" " + name).PadRight(width)}{line}{border}{line}";
    }
}
