using System.Diagnostics;
using Build.Tests.Support;

namespace Build.Tests.EndToEnd;

[TestFixture]
public sealed class HardenTests
{
    private static string FixtureCopy(params string[] fixtures)
    {
        var directory = Directory.CreateTempSubdirectory("workflows-").FullName;
        foreach (var fixture in fixtures)
        {
            File.Copy(Repository.PathOf($"tests/Build.Tests/Fixtures/Workflows/{fixture}.yml"), Path.Combine(directory, $"{fixture}.yml"));
        }

        return directory;
    }

    [Test]
    public void Block_mode_fails_on_an_error_finding_and_prints_path_line_rule_and_fix()
    {
        var workflows = FixtureCopy("unpinned-uses.bad");
        var run = BuildRun.Start(["--target=Harden", "--exclusive", $"--workflows={workflows}"]);

        Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
        Assert.That(run.StandardError, Does.Contain("unpinned-uses.bad.yml:15: error unpinned-uses: actions/checkout@v7 is not pinned to a commit — pin to the full 40-character commit"));
        Assert.That((string?)run.Task("Harden")["failure"], Is.EqualTo("workflow-audit"));
        Assert.That(run.Report["workflowFindings"]!.Single()["rule"]!.ToString(), Is.EqualTo("unpinned-uses"));
        Assert.That(run.StepSummary, Does.Contain("**unpinned-uses**"));
    }

    [Test]
    public void Audit_mode_reports_and_passes()
    {
        var workflows = FixtureCopy("unpinned-uses.bad", "harden-runner-audit.bad");
        var run = BuildRun.Start(["--target=Harden", "--exclusive", "--harden=audit", $"--workflows={workflows}"]);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That((string?)run.Task("Harden")["detail"], Does.Contain("1 error(s), 1 warning(s)").And.Contain("audit mode"));
    }

    [Test]
    public void On_GitHub_Actions_findings_become_annotations_and_a_missing_agent_is_a_warning()
    {
        var workflows = FixtureCopy("template-injection.bad");
        var agent = Directory.CreateTempSubdirectory("agent-").FullName;
        var run = BuildRun.Start(
            ["--target=Harden", "--exclusive", "--harden=audit", $"--workflows={workflows}", $"--harden-agent-dir={agent}"],
            new Dictionary<string, string> { ["GITHUB_ACTIONS"] = "true" });

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(run.StandardOutput, Does.Match(@"::error file=/[^,]*/template-injection\.bad\.yml,line=20,title=template-injection::"));
        Assert.That(run.StandardOutput, Does.Contain("::warning title=harden-runner::harden-runner is not running"));
        Assert.That((bool?)run.Report["hardenRunner"]!["running"], Is.False);
    }

    [Test]
    public void An_agent_in_audit_mode_is_reported_with_a_warning()
    {
        var agent = Directory.CreateTempSubdirectory("agent-").FullName;
        File.WriteAllText(Path.Combine(agent, "agent.status"), "Initialized");
        File.WriteAllText(Path.Combine(agent, "agent.json"), """{"egress_policy":"audit"}""");
        var run = BuildRun.Start(["--target=Harden", "--exclusive", $"--harden-agent-dir={agent}"], new Dictionary<string, string> { ["GITHUB_ACTIONS"] = "true" });

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That((string?)run.Report["hardenRunner"]!["egressPolicy"], Is.EqualTo("audit"));
        Assert.That(run.Report["warnings"]!.Single().ToString(), Does.Contain("audit mode"));
    }

    [Test]
    public void The_pre_push_hook_runs_Harden_and_says_why_Verify_was_skipped()
    {
        var start = new ProcessStartInfo(Repository.PathOf(".githooks/pre-push"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Repository.Root,
        };
        foreach (var name in new[] { "LITELLM_URL", "LITELLM_HOST", "GITHUB_ACTIONS", "CI" })
        {
            start.Environment.Remove(name);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        Assert.That(process.WaitForExit(60_000), Is.True);
        Assert.That(process.ExitCode, Is.EqualTo(0), output);
        Assert.That(output, Does.Contain("ran Harden; skipped Verify (no gateway configured"));
        var report = Newtonsoft.Json.Linq.JObject.Parse(File.ReadAllText(Repository.PathOf("artifacts/pre-push-harden.json")));
        Assert.That((string?)report["tasks"]![0]!["name"], Is.EqualTo("Harden"));
        Assert.That((string?)report["tasks"]![0]!["status"], Is.EqualTo("passed"));
    }
}
