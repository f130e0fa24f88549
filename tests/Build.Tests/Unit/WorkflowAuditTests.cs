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
        Assert.That(findings, Has.All.Matches<AuditFinding>(finding => finding.Path == fixture && finding.Fix.Length > 0));
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
    public void The_projects_own_workflows_pass_with_no_finding()
    {
        var findings = WorkflowAudit.AuditDirectory(Repository.PathOf(".github/workflows"), Repository.Root).Findings;
        Assert.That(findings.Select(finding => finding.OneLine), Is.Empty);
        Assert.That(Directory.EnumerateFiles(Repository.PathOf(".github/workflows"), "*.yml"), Is.Not.Empty);
    }

    [Test]
    public void The_harden_runner_state_is_read_from_the_agent_files()
    {
        var directory = Directory.CreateTempSubdirectory("agent-").FullName;
        try
        {
            Assert.That(HardenRunnerState.Read(directory), Is.EqualTo(new HardenRunnerState(false, null)));
            File.WriteAllText(Path.Combine(directory, "agent.status"), "Initialized");
            File.WriteAllText(Path.Combine(directory, "agent.json"), """{"egress_policy":"audit"}""");
            Assert.That(HardenRunnerState.Read(directory), Is.EqualTo(new HardenRunnerState(true, "audit")));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
