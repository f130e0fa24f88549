using Build.Core;
using Build.Hardening;

namespace Build.Tests.Unit;

/// <summary>
/// The audit cache may only ever answer what the audit itself would: any changed input (text, paths,
/// program) audits again, and a cache that is damaged or cannot be written is ignored.
/// </summary>
[TestFixture]
public sealed class AuditCacheTests
{
    private static readonly AuditFinding[] OddFindings =
    [
        new(".github/workflows/a.yml", 3, Severity.Error, "rule-1", "two\nlines: 12:34 ünïcödé — and a tab\t", "fix: 5:"),
        new("b.yml", 1, Severity.Warning, "r", string.Empty, "0:"),
    ];

    private string _folder = null!;
    private int _audits;

    [SetUp]
    public void CreateFolder()
    {
        _folder = Path.Combine(Path.GetTempPath(), $"audit-cache-{Guid.NewGuid():N}");
        _audits = 0;
    }

    [TearDown]
    public void RemoveFolder()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Test]
    public void Answers_a_repeated_audit_from_the_cache_with_the_same_findings()
    {
        var cache = new AuditCache(_folder, Guid.NewGuid());

        var first = cache.GetOrAudit("workflow", "/repo/.github/workflows/a.yml", ".github/workflows/a.yml", "on: push", Audit);
        var second = cache.GetOrAudit("workflow", "/repo/.github/workflows/a.yml", ".github/workflows/a.yml", "on: push", Audit);

        Assert.Multiple(() =>
        {
            Assert.That(_audits, Is.EqualTo(1));
            Assert.That(first, Is.EqualTo(OddFindings));
            Assert.That(second, Is.EqualTo(OddFindings));
        });
    }

    [Test]
    public void Remembers_a_file_without_findings_too()
    {
        var cache = new AuditCache(_folder, Guid.NewGuid());
        var audits = 0;
        IReadOnlyList<AuditFinding> Clean(string path, string text)
        {
            audits++;
            return [];
        }

        cache.GetOrAudit("workflow", "/r/clean.yml", "clean.yml", "on: push", Clean);
        var second = cache.GetOrAudit("workflow", "/r/clean.yml", "clean.yml", "on: push", Clean);

        Assert.That(second, Is.Empty);
        Assert.That(audits, Is.EqualTo(1), "most workflows have no findings: they must be remembered as well");
    }

    [Test]
    public void Audits_again_when_any_input_changes()
    {
        var program = Guid.NewGuid();
        new AuditCache(_folder, program).GetOrAudit("workflow", "/r/a.yml", "a.yml", "on: push", Audit);

        new AuditCache(_folder, program).GetOrAudit("workflow", "/r/a.yml", "a.yml", "on: push ", Audit);
        new AuditCache(_folder, program).GetOrAudit("workflow", "/r/a.yml", "b.yml", "on: push ", Audit);
        new AuditCache(_folder, program).GetOrAudit("action", "/r/a.yml", "b.yml", "on: push ", Audit);
        new AuditCache(_folder, program).GetOrAudit("action", "/s/a.yml", "b.yml", "on: push ", Audit);
        new AuditCache(_folder, Guid.NewGuid()).GetOrAudit("action", "/s/a.yml", "b.yml", "on: push ", Audit);

        Assert.That(_audits, Is.EqualTo(6));
    }

    [TestCase("")]
    [TestCase("audit-cache 2\n")]
    [TestCase("audit-cache 1\n")]
    [TestCase("garbage")]
    public void Audits_again_when_an_entry_is_damaged(string damage)
    {
        var cache = new AuditCache(_folder, Guid.NewGuid());
        cache.GetOrAudit("workflow", "/r/a.yml", "a.yml", "x", Audit);
        var entry = Directory.GetFiles(_folder).Single();
        File.WriteAllText(entry, damage);

        var findings = cache.GetOrAudit("workflow", "/r/a.yml", "a.yml", "x", Audit);

        Assert.Multiple(() =>
        {
            Assert.That(findings, Is.EqualTo(OddFindings));
            Assert.That(_audits, Is.EqualTo(2));
        });
    }

    [TestCase("\n1:x\n2\n", "\n1:x\nx\n", TestName = "a count that is no number")]
    [TestCase("\n1:x\n2\n", "\n1:x\n-1\n", TestName = "a negative count")]
    [TestCase("\n1:x\n2\n", "\n1:x\n100001\n", TestName = "a count past the limit")]
    [TestCase("\n1:x\n2\n", "\n1:x\n3\n", TestName = "a count larger than the findings")]
    [TestCase("end\n", "END\n", TestName = "no end marker")]
    [TestCase("audit-cache 2\n", "audit-cache 2\n99999999999", TestName = "a field longer than any file")]
    [TestCase("audit-cache 2\n", "audit-cache 2\n12x", TestName = "a length without its colon")]
    [TestCase("\n8:workflow\n", "X8:workflow\n", TestName = "a field not ended by a new line")]
    public void Audits_again_when_an_entry_is_altered(string original, string altered)
    {
        var cache = new AuditCache(_folder, Guid.NewGuid());
        cache.GetOrAudit("workflow", "/r/a.yml", "a.yml", "x", Audit);
        var entry = Directory.GetFiles(_folder).Single();
        var whole = File.ReadAllText(entry);
        Assert.That(whole, Does.Contain(original), "the entry's layout changed: update this test");
        File.WriteAllText(entry, whole.Replace(original, altered, StringComparison.Ordinal));

        Assert.That(cache.GetOrAudit("workflow", "/r/a.yml", "a.yml", "x", Audit), Is.EqualTo(OddFindings));
        Assert.That(_audits, Is.EqualTo(2), "an altered entry was trusted");
    }

    [Test]
    public void Keeps_its_own_folder_beside_the_program_keyed_by_the_program_build()
    {
        var folder = Path.Combine(AppContext.BaseDirectory, ".audit-cache");
        var path = $"/r/{Guid.NewGuid():N}.yml";
        try
        {
            AuditCache.ForThisProgram().GetOrAudit("workflow", path, "a.yml", "x", Audit);
            AuditCache.ForThisProgram().GetOrAudit("workflow", path, "a.yml", "x", Audit);
            Assert.That(Directory.GetFiles(folder).Select(File.ReadAllText), Has.Some.Contain(typeof(AuditCache).Assembly.ManifestModule.ModuleVersionId.ToString("N")));
            new AuditCache(folder, Guid.NewGuid()).GetOrAudit("workflow", path, "a.yml", "x", Audit);

            Assert.That(_audits, Is.EqualTo(2), "the same program build shares entries; another build does not");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public void Audits_again_when_an_entry_is_cut_short()
    {
        var cache = new AuditCache(_folder, Guid.NewGuid());
        cache.GetOrAudit("workflow", "/r/a.yml", "a.yml", "x", Audit);
        var entry = Directory.GetFiles(_folder).Single();
        var whole = File.ReadAllText(entry);

        // Everything but the last new line (after "end") is needed.
        var cuts = 0;
        for (var length = 0; length < whole.Length - 1; length += 7, cuts++)
        {
            File.WriteAllText(entry, whole[..length]);
            Assert.That(cache.GetOrAudit("workflow", "/r/a.yml", "a.yml", "x", Audit), Is.EqualTo(OddFindings), $"cut at {length}");
        }

        Assert.That(_audits, Is.EqualTo(1 + cuts));
    }

    [Test]
    public void Audits_without_remembering_when_the_folder_cannot_be_written()
    {
        File.WriteAllText(_folder, "a file where the cache folder should be");
        try
        {
            var cache = new AuditCache(_folder, Guid.NewGuid());
            var first = cache.GetOrAudit("workflow", "/r/a.yml", "a.yml", "x", Audit);
            var second = cache.GetOrAudit("workflow", "/r/a.yml", "a.yml", "x", Audit);

            Assert.That(first, Is.EqualTo(OddFindings));
            Assert.That(second, Is.EqualTo(OddFindings));
            Assert.That(_audits, Is.EqualTo(2));
        }
        finally
        {
            File.Delete(_folder);
        }
    }

    [Test]
    public void Keeps_at_most_its_limit_of_entries()
    {
        var cache = new AuditCache(_folder, Guid.NewGuid());
        for (var index = 0; index < AuditCache.MaxEntries + 20; index++)
        {
            cache.GetOrAudit("workflow", $"/r/{index}.yml", $"{index}.yml", "x", Audit);
        }

        // Full at the 129th entry: the 64 written longest ago go, then 20 more come.
        Assert.That(Directory.GetFiles(_folder), Has.Length.EqualTo((AuditCache.MaxEntries / 2) + 20));
        var audits = _audits;
        cache.GetOrAudit("workflow", $"/r/{AuditCache.MaxEntries + 19}.yml", $"{AuditCache.MaxEntries + 19}.yml", "x", Audit);
        Assert.That(_audits, Is.EqualTo(audits), "the newest entry was dropped");
        cache.GetOrAudit("workflow", "/r/0.yml", "0.yml", "x", Audit);
        Assert.That(_audits, Is.EqualTo(audits + 1), "the oldest entry was kept");
    }

    [Test]
    public void Does_not_drop_entries_below_its_limit()
    {
        var cache = new AuditCache(_folder, Guid.NewGuid());
        for (var index = 0; index < AuditCache.MaxEntries; index++)
        {
            cache.GetOrAudit("workflow", $"/r/{index}.yml", $"{index}.yml", "x", Audit);
        }

        Assert.That(Directory.GetFiles(_folder), Has.Length.EqualTo(AuditCache.MaxEntries));
    }

    [Test]
    public void A_directory_audit_with_the_cache_finds_what_the_audit_finds_and_reads_it_back()
    {
        var root = Path.Combine(_folder, "repo");
        var workflows = Path.Combine(root, ".github", "workflows");
        Directory.CreateDirectory(workflows);
        File.WriteAllText(Path.Combine(workflows, "ci.yml"), "on: pull_request_target\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n");
        var cache = new AuditCache(Path.Combine(_folder, "cache"), Guid.NewGuid());

        var plain = WorkflowAudit.AuditDirectory(workflows, root);
        var filled = WorkflowAudit.AuditDirectory(workflows, root, cache: cache);
        var entry = Directory.GetFiles(Path.Combine(_folder, "cache")).Single();
        var marker = new string('x', plain.Findings[0].RuleId.Length);
        File.WriteAllText(entry, File.ReadAllText(entry).Replace(plain.Findings[0].RuleId, marker, StringComparison.Ordinal));
        var served = WorkflowAudit.AuditDirectory(workflows, root, cache: cache);

        Assert.Multiple(() =>
        {
            Assert.That(plain.Findings, Is.Not.Empty);
            Assert.That(filled, Is.EqualTo(plain).Using<WorkflowAuditResult>((a, b) => a.Files == b.Files && a.Findings.SequenceEqual(b.Findings)));
            Assert.That(served.Findings.Select(finding => finding.RuleId), Does.Contain(marker), "the second audit did not use the cache");
        });
    }

    private IReadOnlyList<AuditFinding> Audit(string path, string text)
    {
        _audits++;
        return OddFindings;
    }
}
