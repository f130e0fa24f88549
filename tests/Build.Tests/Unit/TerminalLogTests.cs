using Build.Reporting;
using Build.Tests.Support;
using Cake.Core.Diagnostics;

namespace Build.Tests.Unit;

/// <summary>Colour only where a reader renders it, never with NO_COLOR, and none for ordinary lines.</summary>
[TestFixture]
public sealed class TerminalLogTests
{
    private static Func<string, string?> Environment(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(variable => variable.Name == name).Value;

    [TestCase(false, true)]
    [TestCase(true, false)]
    public void A_terminal_gets_colour_a_pipe_or_file_does_not(bool redirected, bool colour)
    {
        Assert.That(TerminalLog.UseColour(redirected, Environment(("TERM", "xterm-256color"))), Is.EqualTo(colour));
    }

    [Test]
    public void NO_COLOR_and_a_dumb_terminal_turn_colour_off_and_GitHub_Actions_turns_it_on_for_its_log()
    {
        Assert.That(TerminalLog.UseColour(false, Environment(("NO_COLOR", "1"))), Is.False);
        Assert.That(TerminalLog.UseColour(false, Environment(("NO_COLOR", "anything"))), Is.False);
        Assert.That(TerminalLog.UseColour(false, Environment(("NO_COLOR", string.Empty))), Is.True, "an empty NO_COLOR is unset (no-color.org)");
        Assert.That(TerminalLog.UseColour(false, Environment(("TERM", "dumb"))), Is.False);
        Assert.That(TerminalLog.UseColour(true, Environment(("GITHUB_ACTIONS", "true"))), Is.True);
        Assert.That(TerminalLog.UseColour(true, Environment(("GITHUB_ACTIONS", "true"), ("NO_COLOR", "1"))), Is.False);
    }

    [Test]
    public void Ordinary_lines_keep_the_terminals_own_colour_and_no_level_is_bright_white()
    {
        Assert.That(TerminalLog.ColourOf(LogLevel.Information), Is.Null);
        Assert.That((TerminalLog.ColourOf(LogLevel.Warning), TerminalLog.ColourOf(LogLevel.Error), TerminalLog.ColourOf(LogLevel.Fatal)), Is.EqualTo(("\u001b[33m", "\u001b[31m", "\u001b[31m")));
        Assert.That(string.Concat(Enum.GetValues<LogLevel>().Select(TerminalLog.ColourOf)), Does.Not.Contain("37").And.Not.Contain(";1m"));
    }

    [Test]
    public void Piped_output_has_no_escape_codes_whatever_TERM_says()
    {
        var run = BuildRun.Start(["--target=Harden", "--exclusive"], new Dictionary<string, string> { ["NO_COLOR"] = string.Empty, ["TERM"] = "xterm-256color" });

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(run.Output, Does.Contain("✓ Harden").And.Not.Contain("\u001b"));
    }

    [Test]
    public void No_color_is_a_switch_that_turns_colour_off_like_NO_COLOR()
    {
        var run = BuildRun.Start(["--target=Harden", "--exclusive", "--no-color"], new Dictionary<string, string> { ["NO_COLOR"] = string.Empty, ["GITHUB_ACTIONS"] = "true" });
        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(run.Output, Does.Contain("::warning").And.Not.Contain("\u001b["), "GitHub Actions' log would get colour, but --no-color says no");

        var coloured = BuildRun.Start(["--target=Harden", "--exclusive"], new Dictionary<string, string> { ["NO_COLOR"] = string.Empty, ["GITHUB_ACTIONS"] = "true" });
        Assert.That(coloured.Output, Does.Contain("\u001b[33m"), "the control: warnings are yellow in GitHub Actions' log");

        var bad = BuildRun.Start(["--target=Harden", "--exclusive", "--no-color=maybe"], withReport: false);
        Assert.That(bad.ExitCode, Is.EqualTo(2), bad.ToString());
        Assert.That(bad.StandardError, Does.Contain("--no-color: is a switch; write --no-color or --no-color=false"));
    }
}
