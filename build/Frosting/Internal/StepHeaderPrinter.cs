using Cake.Cli;
using Cake.Core;
using Cake.Core.Diagnostics;
using Spectre.Console;

namespace Cake.Frosting.Internal;

/// <summary>
/// Cake's step headers, without Cake's closing duration table (the build prints its own summary:
/// status, detail, fix) and without the Setup and TearDown banners, which would head nothing.
/// </summary>
internal sealed class StepHeaderPrinter(IAnsiConsole console) : ICakeReportPrinter
{
    private readonly CakeSpectreReportPrinter _inner = new(console);

    public void Write(CakeReport report)
    {
    }

    public void WriteStep(string name, Verbosity verbosity) => _inner.WriteStep(name, verbosity);

    public void WriteLifeCycleStep(string name, Verbosity verbosity)
    {
    }

    public void WriteSkippedStep(string name, Verbosity verbosity) => _inner.WriteSkippedStep(name, verbosity);
}
