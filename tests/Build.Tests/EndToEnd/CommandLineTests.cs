using Build.Tests.Support;

namespace Build.Tests.EndToEnd;

[TestFixture]
[Order(7)]
public sealed class CommandLineTests
{
    [Test]
    public void Tree_shows_the_graph()
    {
        var run = BuildRun.Start(["--tree"], withReport: false);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        var order = new[] { "Verify", "Summary", "ChatSmoke", "HealthCheck" }.Select(name => run.StandardOutput.IndexOf(name, StringComparison.Ordinal)).ToList();
        Assert.That(order, Is.Ordered.And.All.GreaterThanOrEqualTo(0), run.StandardOutput);
    }

    [Test]
    public void Help_lists_the_cake_options()
    {
        var run = BuildRun.Start(["--help"], withReport: false);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(run.StandardOutput, Does.Contain("--target").And.Contain("--exclusive").And.Contain("--dryrun").And.Contain("--tree"));
        foreach (var entry in Build.Settings.SettingsCatalog.Entries)
        {
            Assert.That(run.StandardOutput, Does.Contain(entry.Source.Replace("`", string.Empty, StringComparison.Ordinal)), entry.What);
        }
    }

    [Test]
    public void Version_names_the_build_and_cake()
    {
        var run = BuildRun.Start(["--version"], withReport: false);
        Assert.That(run.StandardOutput, Does.Match(@"Build \d+\.\d+\.\d+ \(Cake 7\.0\.0\)"));
    }

    [Test]
    public void An_unknown_target_is_one_line_and_exit_2()
    {
        var run = BuildRun.Start(["--target=Verfy"], withReport: false);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.StandardError.Trim().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(run.StandardError, Does.Contain("Unknown target 'Verfy'").And.Contain("Fix:"));
        Assert.That(run.StandardOutput.Trim(), Is.Empty);
    }

    [Test]
    public void A_malformed_option_is_one_line_and_exit_2()
    {
        var run = BuildRun.Start(["--verbosity=loud"], withReport: false);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.StandardError.Trim().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(run.StandardError, Does.StartWith("Error: ").And.Contain("Fix:"));
    }

    [Test]
    public void Every_settings_problem_is_listed_at_once_without_values()
    {
        var secretUrl = "ftp://private-host.corp.example/x";
        var run = BuildRun.Start(
            ["--target=Verify", "--deadline=soon", "--max-tokens=-3", "--litellm-urll=x", "--insecure=maybe"],
            new Dictionary<string, string> { ["LITELLM_URL"] = secretUrl });

        Assert.That(run.ExitCode, Is.Not.EqualTo(0), run.ToString());
        Assert.That(run.Output, Does.Contain("--deadline").And.Contain("--max-tokens").And.Contain("did you mean --litellm-url?").And.Contain("--insecure").And.Contain("LITELLM_URL"));
        Assert.That(run.Output, Does.Contain("5 setting problem(s)"));
        Assert.That(run.Output, Does.Not.Contain("private-host"));
        Assert.That(run.Output, Does.Not.Contain("   at "));
        Assert.That(((string?)run.Report["reason"], run.Report["tasks"]), Is.EqualTo(("settings", new Newtonsoft.Json.Linq.JArray())), "the report says the run stopped on its settings");
        Assert.That(run.Report.ToString(), Does.Not.Contain("private-host"));
    }

    [Test]
    public void A_key_passed_as_an_option_is_refused()
    {
        var run = BuildRun.Start(["--target=HealthCheck", "--api-key=sk-should-not-be-here"]);

        Assert.That(run.ExitCode, Is.Not.EqualTo(0));
        Assert.That(run.Output, Does.Contain("LITELLM_API_KEY"));
        Assert.That(run.Output, Does.Not.Contain("sk-should-not-be-here"));
    }

    [Test]
    public void Plain_http_to_a_public_host_needs_an_explicit_opt_in()
    {
        var run = BuildRun.Start(["--target=HealthCheck", "--litellm-url=http://gateway.example.com:4000"]);

        Assert.That(run.ExitCode, Is.Not.EqualTo(0));
        Assert.That(run.Output, Does.Contain("--allow-http"));
        Assert.That(run.Output, Does.Not.Contain("gateway.example.com"));
    }

    [Test]
    public void On_GitHub_Actions_masks_come_before_any_other_output_and_the_key_appears_only_there()
    {
        var canary = $"sk-canary-{Guid.NewGuid():N}";
        var run = BuildRun.Start(
            ["--target=Verify", "--deadline=1"],
            new Dictionary<string, string>
            {
                ["GITHUB_ACTIONS"] = "true",
                ["LITELLM_HOST"] = "gateway.tail1234.ts.net",
                ["LITELLM_PORT"] = "1",
                ["LITELLM_API_KEY"] = canary,
            });

        var lines = run.StandardOutput.Split('\n').Where(line => line.Length > 0).ToList();
        var firstOther = lines.FindIndex(line => !line.StartsWith("::add-mask::", StringComparison.Ordinal));
        var masks = lines.Take(firstOther).ToList();
        Assert.That(masks, Does.Contain($"::add-mask::{canary}"));
        Assert.That(masks, Does.Contain("::add-mask::gateway.tail1234.ts.net"));
        Assert.That(masks, Does.Contain("::add-mask::gateway.tail1234.ts.net:1"));
        Assert.That(masks, Does.Contain("::add-mask::https://gateway.tail1234.ts.net:1"));
        Assert.That(lines.Skip(firstOther), Has.None.StartsWith("::add-mask::"));
        Assert.That(string.Join('\n', lines.Skip(firstOther)) + run.StandardError + File.ReadAllText(run.ReportPath) + run.StepSummary, Does.Not.Contain(canary).And.Not.Contain("tail1234"));
        Assert.That(run.StandardOutput, Does.Contain("::group::HealthCheck"));
    }

    [TestCase("Verify", "Error: Verify is a task, not an argument. Fix: ./build.sh --target=Verify")]
    [TestCase("-target=Verify", "Error: -target has one dash (the value is not shown). Fix: options take two dashes, such as ./build.sh --target=Verify")]
    [TestCase("-target=sk-secret-value", "Error: -target has one dash (the value is not shown). Fix: options take two dashes, such as ./build.sh --target=VALUE")]
    public void A_command_line_mistake_gets_the_form_that_works(string argument, string line)
    {
        var run = BuildRun.Start([argument], withReport: false);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.StandardError.Trim().Split('\n').Where(text => !text.StartsWith("Building the build program", StringComparison.Ordinal)), Is.EqualTo(new[] { line }));
    }

    /// <summary>The host's options are case-sensitive (Spectre's): --TARGET=Harden once ran Verify without a word.</summary>
    [Test]
    public void A_host_option_in_another_case_is_refused_not_ignored()
    {
        var run = BuildRun.Start(["--TARGET=Harden", "--exclusive"], withReport: false);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.StandardError, Does.Contain("--TARGET: unknown option (did you mean --target?)"));
        Assert.That(run.StandardOutput, Does.Not.Contain("Harden"), "no task ran");
    }

    [Test]
    public void A_key_on_the_command_line_is_refused_under_the_name_it_was_given()
    {
        var run = BuildRun.Start(["--target=Harden", "--exclusive", "--litellm-api-key=sk-abc-0123456789"]);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.StandardError, Does.Contain("--litellm-api-key: keys are never taken from the command line").And.Not.Contain("--api-key:").And.Not.Contain("sk-abc"));
    }

    [Test]
    public void Help_names_the_script_that_ran_and_an_aggregate_gets_no_empty_header()
    {
        var help = BuildRun.Start(["--help"], withReport: false, script: "build.ps1");
        Assert.That(help.StandardOutput, Does.Contain("./build.ps1").And.Not.Contain("./build.sh"), help.ToString());

        var verify = BuildRun.Start(["--target=Verify", "--deadline=1"]);
        var afterTable = verify.StandardOutput[verify.StandardOutput.IndexOf("Verify failed", StringComparison.Ordinal)..];
        Assert.That(afterTable, Does.Not.Match(@"(?m)^\s*Verify\s*$"), "a header over nothing after the table");
        Assert.That(verify.StandardOutput, Does.Match(@"(?m)^\s*Summary\s*$"));
    }
}
