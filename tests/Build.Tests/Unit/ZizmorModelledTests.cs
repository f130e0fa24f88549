using System.Text.RegularExpressions;
using Build.Hardening;
using Build.Tests.Support;

namespace Build.Tests.Unit;

/// <summary>
/// Recall and precision of Harden on workflows modelled on zizmor's integration test cases, for the
/// rules both share; each file marks with <c># expect: RULE</c> the lines zizmor reports at its default persona.
/// </summary>
[TestFixture]
public sealed partial class ZizmorModelledTests
{
    private static readonly string[] SharedRules =
    [
        AuditRules.TemplateInjection, AuditRules.ExcessivePermissions, AuditRules.DangerousTriggers, AuditRules.Artipacked,
        AuditRules.UnpinnedUses, AuditRules.SecretsInherit, AuditRules.OverprovisionedSecrets,
    ];

    private static readonly string Folder = Repository.PathOf("tests/Build.Tests/Fixtures/ZizmorModelled");

    [Test]
    public void Recall_is_at_least_95_percent_and_precision_at_least_90_percent_on_the_shared_rules()
    {
        int truePositives = 0, falsePositives = 0, falseNegatives = 0;
        var mismatches = new List<string>();
        foreach (var path in Directory.EnumerateFiles(Folder, "*.yml").Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(path);
            var text = File.ReadAllText(path);
            var expected = text.Split('\n')
                .Select((line, index) => (Line: index + 1, Match: Marker().Match(line)))
                .Where(entry => entry.Match.Success)
                .Select(entry => $"{entry.Line} {entry.Match.Groups[1].Value}")
                .ToList();
            var findings = name.EndsWith(".action.yml", StringComparison.Ordinal) ? WorkflowAudit.AuditAction(name, text) : WorkflowAudit.AuditFile(name, text);
            var actual = findings.Where(finding => SharedRules.Contains(finding.RuleId)).Select(finding => $"{finding.Line} {finding.RuleId}").ToList();

            var matched = expected.Intersect(actual).Count();
            truePositives += matched;
            falseNegatives += expected.Count - matched;
            falsePositives += actual.Count - actual.Intersect(expected).Count();
            mismatches.AddRange(expected.Except(actual).Select(item => $"{name}: missed {item}"));
            mismatches.AddRange(actual.Except(expected).Select(item => $"{name}: extra {item}"));
        }

        var recall = truePositives / (double)(truePositives + falseNegatives);
        var precision = truePositives / (double)(truePositives + falsePositives);
        TestContext.Out.WriteLine($"zizmor-modelled corpus: {truePositives} found, {falseNegatives} missed, {falsePositives} extra; recall {recall:P1}, precision {precision:P1}");
        mismatches.ForEach(TestContext.Out.WriteLine);

        Assert.That(truePositives + falseNegatives, Is.GreaterThanOrEqualTo(40), "the corpus is too small to measure");
        Assert.That(recall, Is.GreaterThanOrEqualTo(0.95), string.Join('\n', mismatches));
        Assert.That(precision, Is.GreaterThanOrEqualTo(0.90), string.Join('\n', mismatches));
    }

    [GeneratedRegex(@"#\s*expect:\s*([a-z-]+)")]
    private static partial Regex Marker();
}
