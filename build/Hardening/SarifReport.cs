using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Build.Hardening;

/// <summary>
/// The audit as SARIF 2.1.0, the format GitHub code scanning takes (github/codeql-action/upload-sarif):
/// one run, the rules as the driver's metadata, one result per finding at its file and line.
/// </summary>
public static class SarifReport
{
    public const string Schema = "https://json.schemastore.org/sarif-2.1.0.json";

    public static JObject Build(IEnumerable<AuditFinding> findings, Func<string, string> redact)
    {
        var rules = AuditRules.All.ToList();
        var results = findings.Select(finding => new JObject
        {
            ["ruleId"] = finding.RuleId,
            ["ruleIndex"] = rules.FindIndex(rule => rule.Id == finding.RuleId),
            ["level"] = Level(finding.Severity),
            ["message"] = new JObject { ["text"] = redact($"{finding.Message} — {finding.Fix}") },
            ["locations"] = new JArray(new JObject
            {
                ["physicalLocation"] = new JObject
                {
                    ["artifactLocation"] = new JObject { ["uri"] = Uri.EscapeDataString(finding.Path).Replace("%2F", "/", StringComparison.Ordinal), ["uriBaseId"] = "%SRCROOT%" },
                    ["region"] = new JObject { ["startLine"] = Math.Max(1, finding.Line) },
                },
            }),
        });

        return new JObject
        {
            ["$schema"] = Schema,
            ["version"] = "2.1.0",
            ["runs"] = new JArray(new JObject
            {
                ["tool"] = new JObject
                {
                    ["driver"] = new JObject
                    {
                        ["name"] = $"{(global::Build.BuildInfo.Name)} Harden",
                        ["version"] = global::Build.BuildInfo.Version,
                        ["informationUri"] = "https://github.com/",
                        ["rules"] = new JArray(rules.Select(rule => new JObject
                        {
                            ["id"] = rule.Id,
                            ["name"] = string.Concat(rule.Id.Split('-').Select(word => char.ToUpperInvariant(word[0]) + word[1..])),
                            ["shortDescription"] = new JObject { ["text"] = rule.Id },
                            ["fullDescription"] = new JObject { ["text"] = rule.Flags.Replace("`", string.Empty, StringComparison.Ordinal) },
                            ["defaultConfiguration"] = new JObject { ["level"] = Level(rule.Severity) },
                        })),
                    },
                },
                ["results"] = new JArray(results),
            }),
        };
    }

    public static void Write(string path, JObject sarif) =>
        global::Build.Reporting.OutputFile.WriteAllText(path, sarif.ToString(Formatting.Indented));

    private static string Level(Severity severity) => severity == Severity.Error ? "error" : "warning";
}
