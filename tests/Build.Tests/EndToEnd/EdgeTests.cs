using System.Diagnostics;
using Build.Tests.Support;
using LiteLlmStandIn;

namespace Build.Tests.EndToEnd;

/// <summary>Verify at the edges, as a new user and a hostile gateway would meet it (issue: never a false green).</summary>
[TestFixture]
[Order(8)]
public sealed class EdgeTests : GatewayFixture
{
    [TestCase("--target=Verify", "--exclusive")]
    [TestCase("--exclusive")]
    [TestCase("--target=Summary", "--exclusive")]
    public void Exclusive_on_an_aggregate_is_refused_with_the_right_command_and_never_passes(params string[] arguments)
    {
        var run = BuildRun.Start(arguments);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.StandardError, Does.Contain("runs no check").And.Contain("without --exclusive"));
        Assert.That((string?)run.Report["status"], Is.EqualTo("failed"));
        Assert.That((string?)run.Report["reason"], Is.EqualTo("no check ran"));
        Assert.That(run.StepSummary, Does.Contain("no check ran"));
    }

    [Test]
    public void A_missing_workflows_folder_given_explicitly_is_a_settings_error()
    {
        var run = BuildRun.Start(["--target=Harden", "--exclusive", "--harden=block", "--workflows=/nonexistent"]);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.StandardError, Does.Contain("--workflows: no such folder"));
    }

    [Test]
    public void From_a_sub_folder_Harden_audits_the_repositorys_workflows_and_the_report_lands_at_the_root()
    {
        var misplaced = SharedCopy.PathOf("build/artifacts");
        var report = SharedCopy.PathOf("artifacts/verify-report.json");
        var before = File.Exists(report) ? File.GetLastWriteTimeUtc(report) : DateTime.MinValue;

        var run = BuildRun.Start(["--target=Harden", "--exclusive"], withReport: false, workingDirectory: SharedCopy.PathOf("build"));

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(run.StandardOutput, Does.Contain("2 workflow(s) audited"));
        Assert.That(Directory.Exists(misplaced), Is.False, "the report landed among the build inputs");
        Assert.That(File.GetLastWriteTimeUtc(report), Is.GreaterThan(before));
    }

    [Test]
    public async Task The_report_says_what_TLS_verification_amounted_to()
    {
        var harden = BuildRun.Start(["--target=Harden", "--exclusive"]);
        Assert.That((string?)harden.Report["tlsVerification"], Is.EqualTo("no request"));

        await using var plain = await StandInServer.StartAsync(new StandInOptions { MasterKey = MasterKey, VirtualKeys = new Dictionary<string, VirtualKey> { [Canary] = ScopedKey(new StandInOptions().Models) } });
        var http = Verify(plain.BaseUrl.AbsoluteUri, Canary);
        Assert.That(http.ExitCode, Is.EqualTo(0), http.ToString());
        Assert.That((string?)http.Report["tlsVerification"], Is.EqualTo("not used (http)"));

        await using var tls = await StartGatewayAsync();
        Assert.That((string?)Verify(tls).Report["tlsVerification"], Is.EqualTo("verified"));
    }

    [Test]
    public void Every_field_a_hostile_gateway_fills_is_redacted_in_the_report_and_summary()
    {
        var key = Canary;
        using var gateway = new RawGateway((_, line) => line switch
        {
            _ when line.Contains("/health/liveliness", StringComparison.Ordinal) => RawGateway.Json(200, "\"I'm alive!\"", $"x-litellm-version: {key}"),
            _ when line.Contains("/health/readiness", StringComparison.Ordinal) => RawGateway.Json(200, $$"""{"status":"healthy","db":"{{key}}","litellm_version":"{{key[..12]}}\u001b[2J"}"""),
            _ when line.Contains("/key/info", StringComparison.Ordinal) => RawGateway.Json(200, $$$"""{"key":"{{{key}}}","info":{"key_alias":"alias {{{key}}}","spend":0,"max_budget":5,"models":["{{{key}}}"],"expires":"2099-01-01T00:00:00"}}"""),
            _ => RawGateway.Json(200, $$"""{"model":"**{{key}}**","object":"chat.completion","choices":[{"message":{"content":"pong {{key}}"},"finish_reason":"stop"}]}""", $"x-litellm-version: {key}", $"x-litellm-model-id: [{key}](http://evil)"),
        });

        var run = Verify(gateway.Url, key);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        var everything = run.Everything;
        foreach (var start in Enumerable.Range(0, key.Length - 8))
        {
            Assert.That(everything, Does.Not.Contain(key.Substring(start, 8)), "a fragment of the key leaked");
        }

        Assert.That(everything, Does.Not.Contain("\u001b"));
        Assert.That(run.StepSummary, Does.Not.Contain("](http://evil)"));
    }

    [TestCase("sk-CANARY-0123456789abcdef")]
    [TestCase("https://gw.secret-host.example:8443")]
    public void A_stray_argument_is_named_as_a_problem_without_echoing_it(string stray)
    {
        var run = BuildRun.Start(["--target=Verify", stray], withReport: false);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Output, Does.Not.Contain("CANARY").And.Not.Contain("secret-host"));
        Assert.That(run.StandardError.Trim().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(run.StandardError, Does.Contain("Fix:"));
    }

    [Test]
    public void A_repeated_option_is_a_settings_error_naming_its_positions_not_its_values()
    {
        var run = BuildRun.Start(["--target=Harden", "--exclusive", "--key-policy=enforce", "--key-policy=off"], withReport: false);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.StandardError, Does.Contain("--key-policy: given 2 times (arguments 3 and 4); give it once"));
        Assert.That(run.StandardError, Does.Not.Contain("enforce").And.Not.Contain("=off"));
    }

    [Test]
    public void At_diagnostic_verbosity_a_classified_failure_still_ends_in_one_line_without_a_stack_trace()
    {
        var run = Verify($"http://127.0.0.1:{Loopback.UnusedPort()}", Canary, "--deadline=1", "--verbosity=diagnostic");

        Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
        Assert.That(run.Output, Does.Not.Contain("   at "), "a stack trace for a classified failure");
        Assert.That(run.StandardError.Split('\n').Count(line => line.StartsWith("Error: ", StringComparison.Ordinal)), Is.EqualTo(1), run.ToString());
    }

    [Test]
    public void An_unwritable_report_or_step_summary_stops_the_run_before_any_task()
    {
        var report = BuildRun.Start(["--target=Harden", "--exclusive", "--report=/proc/self/nothing/report.json"], withReport: false);
        Assert.That(report.ExitCode, Is.EqualTo(2), report.ToString());
        Assert.That(report.StandardError, Does.Contain("--report: cannot be written there"));
        Assert.That(report.StandardOutput, Does.Not.Contain("workflow(s) audited"), "a task ran");

        var outputs = BuildRun.Start(["--target=Harden", "--exclusive", "--junit=/proc/self/nothing/junit.xml", "--sarif=/proc/self/nothing/harden.sarif"], withReport: false);
        Assert.That(outputs.ExitCode, Is.EqualTo(2), outputs.ToString());
        Assert.That(outputs.StandardError, Does.Contain("--junit: cannot be written there").And.Contain("--sarif: cannot be written there"));

        var summary = BuildRun.Start(["--target=Harden", "--exclusive"], new Dictionary<string, string> { ["GITHUB_STEP_SUMMARY"] = Directory.CreateTempSubdirectory("summary-is-a-folder-").FullName });
        Assert.That(summary.ExitCode, Is.EqualTo(2), summary.ToString());
        Assert.That(summary.StandardError, Does.Contain("GITHUB_STEP_SUMMARY: cannot be appended to"));
    }

    [Test]
    public void A_failed_run_ends_with_the_table_and_one_error_line_and_no_noise()
    {
        var run = Verify($"http://127.0.0.1:{Loopback.UnusedPort()}", Canary, "--deadline=1");

        Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
        Assert.That(run.Output, Does.Not.Contain("An error occurred when executing task"));
        Assert.That(run.StandardOutput, Does.Not.Match(@"(?m)^\s*(Setup|TearDown)\s*$"), "an empty Setup/TearDown banner");
        Assert.That(run.StandardError.Split('\n').Count(line => line.StartsWith("Error: ", StringComparison.Ordinal)), Is.EqualTo(1));
        var reason = "refused the connection";
        Assert.That(run.Output.Split(reason).Length - 1, Is.EqualTo(2), "the reason is printed in the table and the Error line only");
    }

    [Test]
    public async Task The_stand_in_on_a_taken_port_says_so_in_one_line()
    {
        await using var first = await StandInServer.StartAsync(new StandInOptions());
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "LiteLlmStandIn.dll"), $"--port={first.Port}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEnd();
        Assert.That(process.WaitForExit(30_000), Is.True);

        Assert.That(process.ExitCode, Is.EqualTo(1));
        Assert.That(stderr.Trim().Split('\n'), Has.Length.EqualTo(1), stderr);
        Assert.That(stderr, Does.Contain($"port {first.Port} is already in use").And.Contain("Fix:"));
    }
}
