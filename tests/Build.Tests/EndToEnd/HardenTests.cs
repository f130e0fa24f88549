using System.Diagnostics;
using Build.Tests.Support;

namespace Build.Tests.EndToEnd;

[TestFixture]
[Order(9)]
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
        Assert.That((string?)run.Report["hardenProfile"], Is.EqualTo("project"));
    }

    [Test]
    public void The_audit_profile_passes_tag_pinned_actions_and_says_so_in_the_report_and_sarif()
    {
        var workflows = FixtureCopy("unpinned-uses.bad", "harden-runner-audit.bad");
        var sarif = Path.Combine(workflows, "harden.sarif");
        var run = BuildRun.Start(["--target=Harden", "--exclusive", "--harden-profile=audit", $"--workflows={workflows}", $"--sarif={sarif}"]);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That((string?)run.Task("Harden")["detail"], Does.StartWith("2 workflow(s) audited with the audit profile (no harden-runner rules; actions/* and github/* may be pinned to a tag): 0 error(s), 0 warning(s)"));
        Assert.That((string?)run.Report["hardenProfile"], Is.EqualTo("audit"));
        Assert.That(File.ReadAllText(sarif), Does.Contain("\"hardenProfile\": \"audit\""));
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

    /// <summary>Agent folders as step-security/agent leaves them (agent.go, annotation.go, config.go).</summary>
    [TestCase("block", false, null, "block", "blocks egress in a job that joins a tailnet")]
    [TestCase("audit", false, null, "audit", null)]
    [TestCase("block", true, "StepSecurity Harden Runner is disabled. A subscription is required for private repositories. Please start a free trial at https://www.stepsecurity.io", "audit", "private repository without a StepSecurity subscription")]
    [TestCase("block", false, "StepSecurity Harden Runner: Reverting agent since allowed endpoint 100.101.102.103 could not be resolved", "none", "reverted itself")]
    [TestCase(null, false, null, null, "harden-runner is not running")]
    [TestCase("reverted", false, "StepSecurity Harden Runner: Reverting agent since allowed endpoint 100.101.102.103 could not be resolved", "none", "Fix: remove IP addresses and tailnet (*.ts.net, 100.x) names from allowed-endpoints")]
    public void The_agent_mode_in_force_is_reported_for_a_tailnet_run(string? requested, bool isPrivate, string? annotation, string? inForce, string? warning)
    {
        var agent = Directory.CreateTempSubdirectory("agent-").FullName;
        if (requested == "reverted")
        {
            // The agent reverted itself: its status never says Initialized, but the reason is in its annotation log.
            File.WriteAllText(Path.Combine(agent, "agent.status"), "Reverted");
            File.WriteAllText(Path.Combine(agent, "agent.json"), """{"egress_policy":"block","private":false,"repo":"owner/repo"}""");
        }
        else if (requested is not null)
        {
            File.WriteAllText(Path.Combine(agent, "agent.status"), "Initialized");
            File.WriteAllText(Path.Combine(agent, "agent.json"), $$"""{"egress_policy":"{{requested}}","private":{{isPrivate.ToString().ToLowerInvariant()}},"repo":"owner/repo"}""");
        }

        if (annotation is not null)
        {
            File.WriteAllText(Path.Combine(agent, "annotation.log"), annotation + "\n");
        }

        var environment = new Dictionary<string, string> { ["GITHUB_ACTIONS"] = "true", ["LITELLM_URL"] = "https://litellm.tail1234.ts.net:8443", ["PATH"] = "/usr/bin:/bin" };
        var run = BuildRun.Start(["--target=Verify", "--tailnet=reuse", $"--harden-agent-dir={agent}"], environment);

        var reported = run.Report["hardenRunner"]!;
        Assert.That((string?)reported["policyInForce"], Is.EqualTo(inForce), run.ToString());
        Assert.That((bool?)reported["privateRepository"], Is.EqualTo(isPrivate));
        var warnings = run.Report["warnings"]!.Select(item => item.ToString()).ToList();
        if (warning is null)
        {
            Assert.That(warnings, Has.None.Contain("harden-runner"));
            Assert.That((string?)run.Task("Harden")["detail"], Does.Contain("harden-runner audit mode, as a tailnet job requires"));
        }
        else
        {
            Assert.That(warnings, Has.One.Contain(warning));
            Assert.That(warnings, Has.None.Contain("first step").Or.All.Contain("not running"), "the agent's own reason comes before its status");
            Assert.That(run.StandardOutput, Does.Contain("::warning title=harden-runner::"));
        }
    }
}
