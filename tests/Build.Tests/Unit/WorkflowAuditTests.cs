using Build.Core;
using Build.Hardening;
using Build.Tests.Support;

namespace Build.Tests.Unit;

/// <summary>
/// Golden fixtures, the way zizmor and actionlint test themselves: for every rule a workflow that
/// breaks only that rule and one that keeps it; findings (line, severity, rule) compared exactly.
/// </summary>
[TestFixture]
public sealed class WorkflowAuditTests
{
    private static readonly string FixtureDirectory = Repository.PathOf("tests/Build.Tests/Fixtures/Workflows");

    private static IEnumerable<TestCaseData> Fixtures() =>
        Directory.EnumerateFiles(FixtureDirectory, "*.yml").Order(StringComparer.Ordinal)
            .Select(path => new TestCaseData(Path.GetFileName(path)).SetName($"Fixture {Path.GetFileNameWithoutExtension(path)}"));

    [TestCaseSource(nameof(Fixtures))]
    public void Findings_match_the_golden_file(string fixture)
    {
        var path = Path.Combine(FixtureDirectory, fixture);
        var expected = File.ReadAllLines(Path.ChangeExtension(path, ".expected")).Where(line => line.Length > 0).ToList();

        var findings = WorkflowAudit.AuditFile(fixture, File.ReadAllText(path));

        Assert.That(findings.Select(finding => $"{finding.Line} {finding.Severity.ToString().ToLowerInvariant()} {finding.RuleId}"), Is.EqualTo(expected));

        // Each finding's message and fix, word for word, as the user reads them.
        var messages = File.ReadAllLines(Path.ChangeExtension(path, ".findings")).Where(line => line.Length > 0);
        Assert.That(findings.Select(finding => finding.OneLine), Is.EqualTo(messages));
        Assert.That(findings, Has.All.Matches<AuditFinding>(finding => finding.Path == fixture && finding.Fix.Length > 0));
        Assert.That(findings.Select(finding => finding.OneLine), Has.None.Contains('\n'), "a finding is one line");
    }

    [Test]
    public void Every_rule_has_a_fixture_that_breaks_it_and_one_that_keeps_it()
    {
        var rules = typeof(AuditRules).GetFields().Where(field => field.IsLiteral && field.FieldType == typeof(string) && !((string)field.GetValue(null)!).Contains('/'))
            .Select(field => (string)field.GetValue(null)!).Where(rule => rule != AuditRules.Syntax);
        foreach (var rule in rules)
        {
            Assert.That(File.Exists(Path.Combine(FixtureDirectory, $"{rule}.bad.yml")), rule);
            Assert.That(File.Exists(Path.Combine(FixtureDirectory, $"{rule}.good.yml")), rule);
            Assert.That(File.ReadAllText(Path.Combine(FixtureDirectory, $"{rule}.bad.expected")), Does.Contain(rule), rule);
        }
    }

    [Test]
    public void A_finding_prints_as_path_line_severity_rule_message_and_fix()
    {
        var finding = new AuditFinding(".github/workflows/ci.yml", 12, Severity.Error, AuditRules.UnpinnedUses, "actions/checkout@v7 is not pinned to a commit", "pin it");
        Assert.That(finding.OneLine, Is.EqualTo(".github/workflows/ci.yml:12: error unpinned-uses: actions/checkout@v7 is not pinned to a commit — pin it"));
    }

    [Test]
    public void The_audit_profile_drops_the_harden_runner_rules_and_lets_actions_and_github_pin_to_a_tag()
    {
        const string fixture = "profile.mixed-pins.yml";
        var text = File.ReadAllText(Path.Combine(FixtureDirectory, fixture));

        static IEnumerable<string> Lines(IEnumerable<AuditFinding> findings) => findings.Select(finding => $"{finding.Line} {finding.Severity.ToString().ToLowerInvariant()} {finding.RuleId}");
        Assert.That(Lines(WorkflowAudit.AuditFile(fixture, text)), Is.EqualTo(new[]
        {
            "7 error harden-runner-first", "10 error unpinned-uses", "13 error unpinned-uses", "14 error unpinned-uses", "15 error unpinned-uses",
            "20 error harden-runner-blocks-tailnet",
        }));
        Assert.That(Lines(WorkflowAudit.AuditFile(fixture, text, AuditProfile.Audit)), Is.EqualTo(new[] { "14 error unpinned-uses", "15 error unpinned-uses" }), "a look-alike owner (actions-ecosystem) is not actions");
        Assert.That(AuditProfile.Named(" AUDIT "), Is.SameAs(AuditProfile.Audit));
        Assert.That(AuditProfile.Named("strict"), Is.Null);
    }

    [Test]
    public void Sarif_names_the_profile_and_lists_only_its_rules()
    {
        var findings = WorkflowAudit.AuditFile("x.yml", File.ReadAllText(Path.Combine(FixtureDirectory, "profile.mixed-pins.yml")), AuditProfile.Audit);
        var run = SarifReport.Build(findings, text => text, profile: AuditProfile.Audit)["runs"]![0]!;
        var rules = run["tool"]!["driver"]!["rules"]!.Select(rule => (string)rule["id"]!).ToList();

        Assert.That((string?)run["properties"]!["hardenProfile"], Is.EqualTo("audit"));
        Assert.That(rules, Does.Not.Contain(AuditRules.HardenRunnerFirst).And.Contain(AuditRules.UnpinnedUses).And.Contain(AuditRules.ArtifactPoisoning));
        Assert.That(run["results"]!.Select(result => rules[(int)result["ruleIndex"]!]), Is.EqualTo(run["results"]!.Select(result => (string)result["ruleId"]!)));
        Assert.That((string?)SarifReport.Build([], text => text)["runs"]![0]!["properties"]!["hardenProfile"], Is.EqualTo("project"));
    }

    [Test]
    public void The_projects_own_workflows_have_no_error_and_warn_only_where_a_tailnet_job_needs_audit_mode()
    {
        var findings = WorkflowAudit.AuditDirectory(Repository.PathOf(".github/workflows"), Repository.Root).Findings;
        Assert.That(findings.Where(finding => finding.Severity == Severity.Error).Select(finding => finding.OneLine), Is.Empty);
        Assert.That(findings.Select(finding => (finding.Path, finding.RuleId)), Is.EqualTo(new[] { (".github/workflows/verify-litellm.yml", AuditRules.HardenRunnerAudit), (".github/workflows/verify-litellm.yml", AuditRules.HardenRunnerAudit) }));
        Assert.That(findings, Has.All.Matches<AuditFinding>(finding => finding.Message.Contains("as a tailnet job requires", StringComparison.Ordinal)));
        Assert.That(Directory.EnumerateFiles(Repository.PathOf(".github/workflows"), "*.yml"), Is.Not.Empty);
    }

    [Test]
    public void The_harden_runner_state_is_read_from_the_agent_files()
    {
        var directory = Directory.CreateTempSubdirectory("agent-").FullName;
        try
        {
            Assert.That(HardenRunnerState.Read(directory), Is.EqualTo(new HardenRunnerState(false, null, null, null, false)));
            File.WriteAllText(Path.Combine(directory, "agent.status"), "Initialized");
            File.WriteAllText(Path.Combine(directory, "agent.json"), """{"egress_policy":"audit"}""");
            Assert.That(HardenRunnerState.Read(directory), Is.EqualTo(new HardenRunnerState(true, "audit", "audit", null, false)));

            // The repository's visibility also comes from the event payload (GITHUB_EVENT_PATH).
            var eventPath = Path.Combine(directory, "event.json");
            File.WriteAllText(eventPath, """{"repository":{"private":true,"visibility":"private"}}""");
            Assert.That(HardenRunnerState.Read(directory, eventPath).PrivateRepository, Is.True);
            File.WriteAllText(eventPath, """{"repository":{"private":false}}""");
            Assert.That(HardenRunnerState.Read(directory, eventPath).PrivateRepository, Is.False);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
