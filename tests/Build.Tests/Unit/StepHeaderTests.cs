using Cake.Cli;
using Cake.Core.Diagnostics;
using Cake.Frosting.Internal;
using Spectre.Console;

namespace Build.Tests.Unit;

/// <summary>The host draws Cake's step header itself (it is cheaper): it must draw the same characters.</summary>
[TestFixture]
public sealed class StepHeaderTests
{
    private static readonly string[] TaskNames = ["Harden", "ConnectTailnet", "HealthCheck", "KeyCheck", "ChatSmoke", "Summary", "Verify", "Default"];

    [Test]
    public void Draws_what_Cakes_printer_draws_at_every_width([Values(12, 13, 16, 17, 18, 40, 80, 99, 100, 101, 200)] int width, [Values] bool ansi)
    {
        foreach (var name in TaskNames)
        {
            var (cake, cakeConsole) = Screen(width, ansi, unicode: true);
            new CakeSpectreReportPrinter(cakeConsole).WriteStep(name, Verbosity.Normal);
            var (ours, ourConsole) = Screen(width, ansi, unicode: true);
            new StepHeaderPrinter(ourConsole).WriteStep(name, Verbosity.Normal);

            Assert.That(ours.ToString(), Is.EqualTo(cake.ToString()), $"{name} at width {width}");
        }
    }

    [Test]
    public void Leaves_to_Spectre_what_only_Spectre_can_lay_out()
    {
        Assert.Multiple(() =>
        {
            Assert.That(StepHeaderPrinter.DrawnHeader("Harden", 80, unicode: false), Is.Null, "no Unicode: Spectre picks an ASCII border");
            Assert.That(StepHeaderPrinter.DrawnHeader("ConnectTailnet", 17, unicode: true), Is.Null, "a name Spectre would cut");
            Assert.That(StepHeaderPrinter.DrawnHeader("ConnectTailnet", 18, unicode: true), Is.Not.Null);
            Assert.That(StepHeaderPrinter.DrawnHeader("[red]x[/]", 80, unicode: true), Is.Null, "markup-like text");
            Assert.That(StepHeaderPrinter.DrawnHeader("Harden", 80, unicode: true), Is.Not.Null);
        });
    }

    [Test]
    public void Falls_back_to_Cakes_printer_without_Unicode()
    {
        var (cake, cakeConsole) = Screen(80, ansi: false, unicode: false);
        new CakeSpectreReportPrinter(cakeConsole).WriteStep("Harden", Verbosity.Normal);
        var (ours, ourConsole) = Screen(80, ansi: false, unicode: false);
        new StepHeaderPrinter(ourConsole).WriteStep("Harden", Verbosity.Normal);

        Assert.That(ours.ToString(), Is.EqualTo(cake.ToString()).And.Not.Contain("═"));
    }

    [Test]
    public void Draws_nothing_below_normal_verbosity()
    {
        var (screen, console) = Screen(80, ansi: false, unicode: true);
        new StepHeaderPrinter(console).WriteStep("Harden", Verbosity.Minimal);

        Assert.That(screen.ToString(), Is.Empty);
    }

    private static (StringWriter Screen, IAnsiConsole Console) Screen(int width, bool ansi, bool unicode)
    {
        var screen = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(screen), Ansi = ansi ? AnsiSupport.Yes : AnsiSupport.No });
        console.Profile.Width = width;
        console.Profile.Capabilities.Unicode = unicode;
        return (screen, console);
    }
}
