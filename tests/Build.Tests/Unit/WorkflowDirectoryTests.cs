using Build.Hardening;

namespace Build.Tests.Unit;

/// <summary>Which files of a folder are audited, in what order, under which path, and what a file that is no workflow gives.</summary>
[TestFixture]
public sealed class WorkflowDirectoryTests
{
    private const string Workflow = "on: push\npermissions: {}\njobs: {}\n";

    private string _root = null!;

    [SetUp]
    public void CreateFolder() => _root = Directory.CreateTempSubdirectory("workflows-").FullName;

    [TearDown]
    public void RemoveFolder() => Directory.Delete(_root, recursive: true);

    private string Write(string relative, string text)
    {
        var path = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    private List<string> Lines(WorkflowAuditResult result) => result.Findings.Select(finding => finding.OneLine).ToList();

    [Test]
    public void Yml_and_yaml_files_in_any_case_are_audited_in_name_order_and_nothing_else()
    {
        Write("b.yaml", "- a list\n");
        Write("A.YML", "- a list\n");
        Write("c.yml", "- a list\n");
        Write("notes.txt", "- a list\n");
        Write("d.yml.bak", "- a list\n");
        Write("sub/e.yml", "- a list\n");

        var result = WorkflowAudit.AuditDirectory(_root, _root);

        Assert.That(result.Files, Is.EqualTo(3));
        Assert.That(Lines(result), Is.EqualTo(new[] { "A.YML", "b.yaml", "c.yml" }.Select(name =>
            $"{name}:1: error syntax: not a workflow (no top-level mapping) — write the workflow as a YAML mapping with on: and jobs:")));
    }

    [Test]
    public void A_missing_folder_audits_nothing()
    {
        var result = WorkflowAudit.AuditDirectory(Path.Combine(_root, "absent"), _root);
        Assert.That((result.Files, result.Findings.Count), Is.EqualTo((0, 0)));
    }

    [TestCase("", "empty, or not a regular file (not opened) — write the workflow as a YAML mapping with on: and jobs:")]
    [TestCase("# only a comment\n", "not a workflow (no top-level mapping) — write the workflow as a YAML mapping with on: and jobs:")]
    [TestCase("just text\n", "not a workflow (no top-level mapping) — write the workflow as a YAML mapping with on: and jobs:")]
    [TestCase("a: *missing\n", "the YAML does not parse — correct the YAML syntax at this line")]
    [TestCase("? [a, b]\n: c\n", "a complex mapping key (a list or mapping used as a key); write plain keys — write the workflow as one plain YAML document")]
    [TestCase("a: &x 1\n*x : 2\n", "an alias used as a mapping key — write the workflow as one plain YAML document")]
    public void A_file_that_is_no_workflow_is_one_error_saying_why(string text, string message)
    {
        Write("w.yml", text);
        var finding = WorkflowAudit.AuditDirectory(_root, _root).Findings.Single();
        Assert.That(finding.OneLine, Does.StartWith("w.yml:").And.EndWith($"error syntax: {message}"));
    }

    [Test]
    public void A_symbolic_link_is_a_warning_and_is_not_followed()
    {
        var target = Write("../" + Path.GetFileName(_root) + "-target.yml", "- not audited\n");
        try
        {
            File.CreateSymbolicLink(Path.Combine(_root, "link.yml"), target);
            Assert.That(Lines(WorkflowAudit.AuditDirectory(_root, _root)), Is.EqualTo(new[] { "link.yml:1: warning syntax: a symbolic link: skipped, not followed — commit the workflow itself in .github/workflows" }));
        }
        finally
        {
            File.Delete(target);
        }
    }

    [Test]
    public void A_file_at_the_size_limit_is_read_and_one_byte_more_is_not()
    {
        var padding = new string('#', (int)WorkflowAudit.MaxFileBytes - Workflow.Length - 1) + "\n";
        Write("limit.yml", Workflow + padding);
        Write("over.yml", Workflow + "#" + padding);

        var result = WorkflowAudit.AuditDirectory(_root, _root);

        Assert.That(new FileInfo(Path.Combine(_root, "limit.yml")).Length, Is.EqualTo(WorkflowAudit.MaxFileBytes));
        Assert.That(Lines(result), Is.EqualTo(new[] { "over.yml:1: error syntax: larger than 16 MiB: not read — split the workflow; no real workflow is this large" }));
    }

    [Test]
    public void Paths_are_relative_to_the_repository_inside_it_and_absolute_outside()
    {
        Write("repo/.github/workflows/w.yml", "- a list\n");
        var outside = Write("elsewhere/w.yml", "- a list\n");

        Assert.That(WorkflowAudit.AuditDirectory(Path.Combine(_root, "repo/.github/workflows"), Path.Combine(_root, "repo")).Findings.Single().Path, Is.EqualTo(".github/workflows/w.yml"));
        Assert.That(WorkflowAudit.AuditDirectory(Path.GetDirectoryName(outside)!, Path.Combine(_root, "repo")).Findings.Single().Path, Is.EqualTo(outside));
    }

    [Test]
    public void Composite_actions_are_found_anywhere_but_in_build_output_and_eight_folders_down_at_most()
    {
        const string Action = "runs:\n  using: composite\n  steps:\n    - uses: octo/tool@v1\n";
        foreach (var skipped in new[] { ".git", "bin", "obj", "node_modules", "artifacts", ".benchmark" })
        {
            Write($"{skipped}/x/action.yml", Action);
        }

        Write(".github/actions/one/action.yml", Action);
        Write("tools/two/action.yaml", Action);
        Write("1/2/3/4/5/6/7/8/action.yml", Action);
        Write("1/2/3/4/5/6/7/8/9/action.yml", Action);
        Write("tools/two/other.yml", Action);
        var workflows = Path.Combine(_root, ".github", "workflows");
        Directory.CreateDirectory(workflows);

        var result = WorkflowAudit.AuditDirectory(workflows, _root, _root);

        Assert.That(result.Findings.Select(finding => finding.Path), Is.EquivalentTo(new[] { ".github/actions/one/action.yml", "tools/two/action.yaml", "1/2/3/4/5/6/7/8/action.yml" }));
        Assert.That(result.Files, Is.EqualTo(3));
    }

    [Test]
    public void A_composite_actions_docker_image_must_be_pinned_to_a_digest_and_its_steps_follow_the_step_rules()
    {
        var findings = WorkflowAudit.AuditAction("action.yml", """
            runs:
              using: docker
              image: docker://alpine:3.20
            """).Select(finding => finding.OneLine);
        Assert.That(findings, Is.EqualTo(new[] { "action.yml:3: error unpinned-uses: docker://alpine:3.20 is not pinned to a digest — pin the image as docker://image@sha256:<digest>" }));

        Assert.That(WorkflowAudit.AuditAction("action.yml", "runs:\n  using: docker\n  image: docker://alpine@sha256:0000000000000000000000000000000000000000000000000000000000000000\n"), Is.Empty);
        Assert.That(WorkflowAudit.AuditAction("action.yml", "runs:\n  using: docker\n  image: Dockerfile\n"), Is.Empty);

        var steps = WorkflowAudit.AuditAction("action.yml", """
            inputs:
              choice: {type: choice}
            runs:
              using: composite
              steps:
                - shell: bash
                  run: echo "${{ inputs.choice }} ${{ toJSON(secrets) }}"
                  env:
                    ACTIONS_ALLOW_UNSECURE_COMMANDS: true
            """).Select(finding => $"{finding.Line} {finding.RuleId}").ToList();

        // An action's inputs are never typed (only a workflow's are), so inputs.choice is free text here.
        Assert.That(steps, Is.EqualTo(new[] { "7 overprovisioned-secrets", "7 secrets-in-run", "7 template-injection", "9 insecure-commands" }));
    }
}
