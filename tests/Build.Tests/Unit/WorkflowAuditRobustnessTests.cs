using System.Diagnostics;
using System.Text;
using Build.Core;
using Build.Hardening;
using Newtonsoft.Json.Linq;

namespace Build.Tests.Unit;

/// <summary>No input crashes, hangs or voids the audit: a bad file is that file's finding, and the others still count.</summary>
[TestFixture]
public sealed class WorkflowAuditRobustnessTests
{
    private const string Valid = """
        name: ok
        on: workflow_dispatch
        jobs:
          build:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@v4
        """;

    private static string Folder(params (string Name, string Text)[] files)
    {
        var directory = Directory.CreateTempSubdirectory("workflows-").FullName;
        foreach (var (name, text) in files)
        {
            File.WriteAllText(Path.Combine(directory, name), text);
        }

        return directory;
    }

    private static IReadOnlyList<AuditFinding> Audit(string text) => Guarded(() => WorkflowAudit.AuditFile("w.yml", text));

    /// <summary>Runs the audit on another thread so that a hang fails the test instead of stopping the run.</summary>
    private static T Guarded<T>(Func<T> audit)
    {
        var task = Task.Run(audit);
        Assert.That(task.Wait(TimeSpan.FromSeconds(30)), Is.True, "the audit hung");
        return task.Result;
    }

    [Test]
    public void A_billion_laughs_alias_bomb_is_a_syntax_finding()
    {
        var bomb = new StringBuilder("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (var level = 1; level <= 9; level++)
        {
            bomb.Append($"a{level}: &a{level} [{string.Join(", ", Enumerable.Repeat($"*a{level - 1}", 9))}]\n");
        }

        Assert.That(bomb.Length, Is.LessThan(700));
        var findings = Audit(bomb.ToString());

        Assert.That(findings.Select(finding => (finding.RuleId, finding.Severity)), Is.EqualTo(new[] { (AuditRules.Syntax, Severity.Error) }));
        Assert.That(findings[0].Message, Does.Contain("expand"));
    }

    [Test]
    public void Nesting_deeper_than_the_limit_is_a_syntax_finding_not_a_stack_overflow()
    {
        var deep = new string('[', 100_000) + new string(']', 100_000);

        var findings = Audit("on: push\njobs: " + deep);

        Assert.That(findings.Single().RuleId, Is.EqualTo(AuditRules.Syntax));
        Assert.That(findings[0].Message, Does.Contain("nested deeper"));
    }

    [Test]
    public void Several_documents_are_a_syntax_finding_on_the_second()
    {
        var findings = Audit(Valid + "\n---\nname: second\n");

        Assert.That(findings.Single().RuleId, Is.EqualTo(AuditRules.Syntax));
        Assert.That(findings[0].Line, Is.EqualTo(8));
        Assert.That(findings[0].Message, Does.Contain("several YAML documents"));
    }

    [TestCase("? [a, b]\n: value\non: push\n")]
    [TestCase("on: push\njobs:\n  ? {x: 1}\n  : {}\n")]
    [TestCase("on: push\n*alias : x\n")]
    public void Complex_keys_are_a_syntax_finding_not_a_cast_exception(string text)
    {
        Assert.That(Audit(text).Single().RuleId, Is.EqualTo(AuditRules.Syntax));
    }

    [TestCase("")]
    [TestCase("- just\n- a list\n")]
    [TestCase("just a string\n")]
    [TestCase("{")]
    [TestCase("on: push\njobs:\n  a: [1, 2\n")]
    public void Malformed_files_are_one_syntax_finding(string text)
    {
        Assert.That(Audit(text).Select(finding => finding.RuleId), Is.EqualTo(new[] { AuditRules.Syntax }));
    }

    [Test]
    public void Symlinks_pipes_and_empty_files_are_never_opened_and_one_bad_file_voids_nothing()
    {
        var directory = Folder(("good.yml", Valid), ("bomb.yaml", "a: &a [*a]\n"), ("broken.yml", "on: [\n"));
        File.CreateSymbolicLink(Path.Combine(directory, "link.yml"), Path.Combine(directory, "good.yml"));
        File.CreateSymbolicLink(Path.Combine(directory, "loop.yml"), Path.Combine(directory, "loop.yml"));
        using (var mkfifo = Process.Start("mkfifo", [Path.Combine(directory, "pipe.yml")])!)
        {
            mkfifo.WaitForExit();
        }

        var result = Guarded(() => WorkflowAudit.AuditDirectory(directory, directory));

        Assert.That(result.Files, Is.EqualTo(6));
        var byFile = result.Findings.GroupBy(finding => finding.Path).ToDictionary(group => group.Key, group => group.ToList());
        Assert.That(byFile["good.yml"].Select(finding => finding.RuleId), Does.Contain(AuditRules.UnpinnedUses).And.Contain(AuditRules.HardenRunnerFirst), "the good file's findings were voided");
        Assert.That(byFile["link.yml"].Single().Severity, Is.EqualTo(Severity.Warning));
        Assert.That(byFile["loop.yml"].Single().Message, Does.Contain("symbolic link"));
        Assert.That(byFile["pipe.yml"].Single().Message, Does.Contain("not a regular file"));
        Assert.That(byFile["bomb.yaml"].Single().RuleId, Is.EqualTo(AuditRules.Syntax));
        Assert.That(byFile["broken.yml"].Single().RuleId, Is.EqualTo(AuditRules.Syntax));
    }

    [Test]
    public void A_5_MB_workflow_is_audited_whole()
    {
        var text = new StringBuilder("name: big\non: workflow_dispatch\npermissions:\n  contents: read\njobs:\n");
        var job = 0;
        while (text.Length < 5 * 1024 * 1024)
        {
            text.Append($"  job{job++}:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: step-security/harden-runner@b09bb98e06d4d774595224525879c09bc6e98c40\n      - run: echo \"${{{{ github.run_id }}}} {new string('x', 200)}\"\n");
        }

        text.Append("  last:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo \"${{ github.event.issue.title }}\"\n");

        var findings = Audit(text.ToString());

        Assert.That(findings.Count(finding => finding.RuleId == AuditRules.TemplateInjection), Is.EqualTo(1), "the expression at the end was not found");
        Assert.That(findings.Single(finding => finding.RuleId == AuditRules.TemplateInjection).Line, Is.EqualTo(text.ToString().Count(character => character == '\n')));
    }

    [Test]
    public void Composite_actions_in_the_repository_are_audited_for_the_step_rules()
    {
        var root = Directory.CreateTempSubdirectory("repo-").FullName;
        var workflows = Directory.CreateDirectory(Path.Combine(root, ".github", "workflows")).FullName;
        var action = Directory.CreateDirectory(Path.Combine(root, "actions", "greet")).FullName;
        Directory.CreateDirectory(Path.Combine(root, "node_modules", "dep"));
        File.WriteAllText(Path.Combine(root, "node_modules", "dep", "action.yml"), "runs: {using: composite, steps: [{uses: a/b@v1}]}\n");
        File.WriteAllText(Path.Combine(action, "action.yaml"), """
            name: greet
            inputs:
              who: {required: true}
            runs:
              using: composite
              steps:
                - uses: actions/setup-node@v4
                - shell: bash
                  run: echo "hello ${{ inputs.who }}"
                - shell: bash
                  run: echo "x=${{ github.event.issue.title }}" >> "$GITHUB_ENV"
            """);

        var result = WorkflowAudit.AuditDirectory(workflows, root, root);

        Assert.That(result.Files, Is.EqualTo(1), "node_modules must be skipped");
        Assert.That(result.Findings.Select(finding => $"{finding.Path}:{finding.Line} {finding.RuleId}"), Is.EqualTo(new[]
        {
            "actions/greet/action.yaml:7 unpinned-uses",
            "actions/greet/action.yaml:9 template-injection",
            "actions/greet/action.yaml:11 github-env",
            "actions/greet/action.yaml:11 template-injection",
        }));
    }
}

[TestFixture]
public sealed class SarifReportTests
{
    [Test]
    public void Every_finding_becomes_a_SARIF_2_1_0_result_with_its_rule_location_and_redacted_message()
    {
        var findings = WorkflowAudit.AuditFile(".github/workflows/x.yml", "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo \"${{ github.event.issue.title }} sk-secret-123456\"\n");
        var sarif = SarifReport.Build(findings, text => text.Replace("sk-secret-123456", "***", StringComparison.Ordinal));

        var parsed = Newtonsoft.Json.Linq.JObject.Parse(sarif.ToString());
        Assert.That((string?)parsed["version"], Is.EqualTo("2.1.0"));
        Assert.That((string?)parsed["$schema"], Does.Contain("sarif-2.1.0"));
        var run = parsed["runs"]!.Single();
        var rules = run["tool"]!["driver"]!["rules"]!.Select(rule => (string)rule["id"]!).ToList();
        Assert.That(rules, Is.EqualTo(AuditRules.All.Select(rule => rule.Id)));
        var results = run["results"]!.ToList();
        Assert.That(results, Has.Count.EqualTo(findings.Count).And.Count.GreaterThan(1));
        foreach (var (result, finding) in results.Zip(findings))
        {
            Assert.That((string?)result["ruleId"], Is.EqualTo(finding.RuleId));
            Assert.That(rules[(int)result["ruleIndex"]!], Is.EqualTo(finding.RuleId));
            Assert.That((string?)result["level"], Is.EqualTo(finding.Severity == Severity.Error ? "error" : "warning"));
            var location = result["locations"]!.Single()["physicalLocation"]!;
            Assert.That((string?)location["artifactLocation"]!["uri"], Is.EqualTo(".github/workflows/x.yml"));
            Assert.That((int)location["region"]!["startLine"]!, Is.EqualTo(finding.Line));
            Assert.That((string?)result["message"]!["text"], Does.Contain(finding.Fix).And.Not.Contain("sk-secret"));
        }
    }
}

[TestFixture]
public sealed class SarifDriverTests
{
    [Test]
    public void The_driver_names_the_tool_and_describes_every_rule()
    {
        var sarif = SarifReport.Build([], text => text);
        var driver = sarif["runs"]![0]!["tool"]!["driver"]!;

        Assert.That(((string?)driver["name"], (string?)driver["version"], (string?)driver["informationUri"]), Is.EqualTo(("litellm-verify Harden", BuildInfo.Version, "https://github.com/")));
        var rule = driver["rules"]!.Single(entry => (string?)entry["id"] == AuditRules.TemplateInjection);
        var expected = AuditRules.All.Single(entry => entry.Id == AuditRules.TemplateInjection);
        Assert.That((string?)rule["name"], Is.EqualTo("TemplateInjection"));
        Assert.That((string?)rule["shortDescription"]!["text"], Is.EqualTo("Outsider-controlled expression pasted into code"));
        Assert.That((string?)rule["fullDescription"]!["text"], Is.EqualTo(expected.Flags.Replace("`", string.Empty, StringComparison.Ordinal)).And.Not.Contain("`"));
        Assert.That(driver["rules"]!.Select(entry => (string?)entry["defaultConfiguration"]!["level"]), Is.EqualTo(AuditRules.All.Select(entry => entry.Severity == Severity.Error ? "error" : "warning")));
        Assert.That(driver["rules"]!.Select(entry => (string?)entry["defaultConfiguration"]!["level"]), Does.Contain("warning").And.Contain("error"));
        Assert.That((JArray)sarif["runs"]![0]!["results"]!, Is.Empty);
    }

    /// <summary>
    /// What GitHub's code scanning asks of a SARIF file (sarif-multitool's GitHub rules): GH2012 help on every rule,
    /// SARIF1001 a name apart from the id, a real short description, security-severity and the security tag,
    /// partial fingerprints, and URIs relative to a base the run declares (SARIF1004).
    /// </summary>
    [Test]
    public void Every_rule_and_result_carries_what_code_scanning_requires()
    {
        var findings = WorkflowAudit.AuditFile(".github/workflows/x.yml", "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo \"${{ github.event.issue.title }}\"\n      - uses: actions/checkout@v4\n");
        var root = Directory.CreateTempSubdirectory("sarif-root-").FullName;
        var sarif = SarifReport.Build(findings, text => text, root, Path.Combine(root, ".github", "workflows"));
        var run = sarif["runs"]![0]!;

        foreach (var rule in run["tool"]!["driver"]!["rules"]!)
        {
            var id = (string)rule["id"]!;
            Assert.That((string?)rule["help"]!["text"], Is.Not.Empty, id);
            Assert.That((string?)rule["help"]!["markdown"], Does.Contain("docs/harden.md"), id);
            Assert.That((string)rule["name"]!, Does.Match("^[A-Z][A-Za-z]+$").And.Not.EqualTo(id).IgnoreCase, id);
            Assert.That((string)rule["shortDescription"]!["text"]!, Is.Not.EqualTo(id).And.Length.GreaterThan(id.Length), id);
            Assert.That(double.Parse((string)rule["properties"]!["security-severity"]!, System.Globalization.CultureInfo.InvariantCulture), Is.InRange(0.1, 10.0), id);
            Assert.That(rule["properties"]!["tags"]!.Select(tag => (string?)tag), Does.Contain("security"), id);
        }

        Assert.That(run["tool"]!["driver"]!["rules"]!.Select(rule => (string?)rule["name"]).Distinct().Count(), Is.EqualTo(AuditRules.All.Count), "names are unique");
        Assert.That((string?)run["originalUriBaseIds"]![SarifReport.SourceRoot]!["uri"], Is.EqualTo(new Uri(root + "/").AbsoluteUri));
        foreach (var result in run["results"]!)
        {
            var location = result["locations"]![0]!["physicalLocation"]!["artifactLocation"]!;
            Assert.That(Uri.IsWellFormedUriString((string)location["uri"]!, UriKind.Relative), Is.True);
            Assert.That(run["originalUriBaseIds"]![(string)location["uriBaseId"]!], Is.Not.Null);
            Assert.That((string?)result["partialFingerprints"]!["harden/v1"], Does.Match("^[0-9a-f]{32}$"));
        }
    }

    [Test]
    public void A_fingerprint_survives_a_line_move_and_tells_findings_apart()
    {
        const string Workflow = "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo \"${{ github.event.issue.title }}\"\n      - run: echo \"${{ github.head_ref }}\"\n";
        static List<string> Prints(string text) => SarifReport.Build(WorkflowAudit.AuditFile(".github/workflows/x.yml", text), text => text)["runs"]![0]!["results"]!
            .Where(result => (string?)result["ruleId"] == AuditRules.TemplateInjection)
            .Select(result => (string)result["partialFingerprints"]!["harden/v1"]!).ToList();

        var before = Prints(Workflow);
        var after = Prints("# a comment moves every line\n\n" + Workflow);

        Assert.That(before, Has.Count.EqualTo(2).And.Unique);
        Assert.That(after, Is.EqualTo(before));
    }

    [Test]
    public void A_workflows_folder_outside_the_repository_gets_its_own_base_and_relative_uris()
    {
        var root = Directory.CreateTempSubdirectory("sarif-repo-").FullName;
        var elsewhere = Directory.CreateTempSubdirectory("sarif-elsewhere-").FullName;
        var finding = new AuditFinding(Path.Combine(elsewhere, "ci.yml"), 3, Severity.Error, AuditRules.UnpinnedUses, "m", "f");

        var run = SarifReport.Build([finding], text => text, root, elsewhere)["runs"]![0]!;

        var location = run["results"]![0]!["locations"]![0]!["physicalLocation"]!["artifactLocation"]!;
        Assert.That(((string?)location["uri"], (string?)location["uriBaseId"]), Is.EqualTo(("ci.yml", SarifReport.WorkflowsRoot)));
        Assert.That((string?)run["originalUriBaseIds"]![SarifReport.WorkflowsRoot]!["uri"], Is.EqualTo(new Uri(elsewhere + "/").AbsoluteUri));
    }

    [Test]
    public void A_location_is_an_escaped_relative_uri_and_the_file_is_written_whole()
    {
        var finding = new AuditFinding(".github/workflows/release build.yml", 0, Severity.Warning, AuditRules.UnpinnedUses, "m", "f");
        var sarif = SarifReport.Build([finding], text => text);
        var location = sarif["runs"]![0]!["results"]![0]!["locations"]![0]!["physicalLocation"]!;

        Assert.That((string?)location["artifactLocation"]!["uri"], Is.EqualTo(".github/workflows/release%20build.yml"));
        Assert.That((string?)location["artifactLocation"]!["uriBaseId"], Is.EqualTo("%SRCROOT%"));
        Assert.That((int?)location["region"]!["startLine"], Is.EqualTo(1), "line 0 is no line: SARIF starts at 1");

        var folder = Directory.CreateTempSubdirectory("sarif-").FullName;
        try
        {
            var path = Path.Combine(folder, "nested", "harden.sarif");
            SarifReport.Write(path, sarif);
            Assert.That(JObject.Parse(File.ReadAllText(path))["version"]!.ToString(), Is.EqualTo("2.1.0"));
            Assert.That(Directory.GetFiles(Path.GetDirectoryName(path)!), Is.EqualTo(new[] { path }), "no temporary file left");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public void The_agents_files_are_read_only_when_they_are_the_agents_size()
    {
        var directory = Directory.CreateTempSubdirectory("agent-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(directory, "agent.status"), "Starting");
            File.WriteAllText(Path.Combine(directory, "agent.json"), """{"egress_policy":"block","private":true}""");
            Assert.That(HardenRunnerState.Read(directory), Is.EqualTo(new HardenRunnerState(false, "block", "block", null, true)));

            File.WriteAllText(Path.Combine(directory, "agent.status"), "Initialized");
            File.WriteAllText(Path.Combine(directory, "annotation.log"), "x\nReverting agent since allowed endpoint 100.64.0.1 could not be resolved\n");
            var reverted = HardenRunnerState.Read(directory);
            Assert.That((reverted.Running, reverted.PolicyInForce), Is.EqualTo((true, "none")));
            Assert.That(reverted.Reason, Does.StartWith("the agent reverted itself"));
            Assert.That(reverted.Fix, Does.StartWith("remove IP addresses and tailnet (*.ts.net, 100.x) names from allowed-endpoints"));

            File.WriteAllText(Path.Combine(directory, "annotation.log"), "A subscription is required for private repositories\n");
            var fallback = HardenRunnerState.Read(directory);
            Assert.That((fallback.PolicyInForce, fallback.Reason), Is.EqualTo(("audit", "private repository without a StepSecurity subscription: the agent runs in audit mode and leaves sudo enabled")));
            Assert.That(fallback.Fix, Does.StartWith("block mode in a private repository needs a paid StepSecurity subscription"));

            File.WriteAllText(Path.Combine(directory, "annotation.log"), "A subscription is required for private repositories" + new string(' ', 1024 * 1024));
            Assert.That(HardenRunnerState.Read(directory).Reason, Is.Null, "a file over 1 MiB is not the agent's");
            File.WriteAllText(Path.Combine(directory, "agent.json"), string.Empty);
            Assert.That(HardenRunnerState.Read(directory).EgressPolicy, Is.Null);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}

[TestFixture]
public sealed class YamlGuardLimitTests
{
    private static string Nested(int depth) => new string('[', depth) + new string(']', depth) + "\n";

    [Test]
    public void Nesting_is_allowed_to_the_limit_and_refused_one_level_deeper()
    {
        Assert.That(YamlGuard.Check(Nested(YamlGuard.MaxDepth)), Is.Null);
        Assert.That(YamlGuard.Check(Nested(YamlGuard.MaxDepth + 1)), Is.EqualTo(new YamlGuard.Problem(1, "nested deeper than 64 levels")));
    }

    [TestCase("base: &b {a: 1}\njob:\n  <<: *b\n", 3)]
    [TestCase("job:\n  x: 1\n  <<: {a: 1}\n", 3)]
    public void A_merge_key_is_refused_where_it_stands(string yaml, int line) =>
        Assert.That(YamlGuard.Check(yaml), Is.EqualTo(new YamlGuard.Problem(line, "a YAML merge key (<<:), which GitHub Actions refuses (write the merged keys out)")));

    [TestCase("job:\n  \"<<\": 1\n")]
    [TestCase("job:\n  '<<': 1\n")]
    [TestCase("job:\n  x: <<\n")]
    public void A_quoted_or_value_merge_sign_is_ordinary_text(string yaml) =>
        Assert.That(YamlGuard.Check(yaml), Is.Null);

    private static string Tower(int levels)
    {
        var lines = new List<string> { "l0: &l0 [x, x, x, x, x, x, x, x, x, x]" };
        for (var level = 1; level < levels; level++)
        {
            lines.Add($"l{level}: &l{level} [{string.Join(", ", Enumerable.Repeat($"*l{level - 1}", 10))}]");
        }

        return string.Join('\n', lines) + "\n";
    }

    [Test]
    public void Aliases_count_as_what_they_expand_to_and_the_limit_holds_exactly()
    {
        // Each level is ten copies of the one below: 11, 111, 1 111, 11 111, 111 111 nodes, then 1 111 111.
        Assert.That(YamlGuard.Check(Tower(5)), Is.Null, "about 124 000 nodes once expanded");
        Assert.That(YamlGuard.Check(Tower(6)), Is.EqualTo(new YamlGuard.Problem(6, "aliases expand past 200,000 nodes (a YAML bomb?)")));

        // An anchored scalar counts once per use.
        var scalars = "s: &s x\nl: [" + string.Join(", ", Enumerable.Repeat("*s", 1000)) + "]\n";
        Assert.That(YamlGuard.Check(scalars), Is.Null);
    }

    [Test]
    public void Where_an_alias_is_used_is_recorded_for_findings_reached_through_it()
    {
        const string Text = "a: &x [1]\nb:\n  - 2\n  - *x\nc: *x\n";
        Assert.That(YamlGuard.Check(Text, out var aliases), Is.Null);

        // The root mapping starts at 0; b's sequence starts where its first "- " is.
        var sequence = Text.IndexOf("- 2", StringComparison.Ordinal);
        Assert.That(aliases.AtKey(0, "c"), Is.EqualTo(5));
        Assert.That(aliases.AtKey(0, "a"), Is.Null);
        Assert.That(aliases.AtIndex(sequence, 1), Is.EqualTo(4));
        Assert.That(aliases.AtIndex(sequence, 0), Is.Null);
    }
}
