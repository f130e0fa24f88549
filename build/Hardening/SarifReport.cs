using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Build.Core;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Build.Hardening;

/// <summary>
/// The audit as SARIF 2.1.0, the format GitHub code scanning takes (github/codeql-action/upload-sarif): one run,
/// the rules as the driver's metadata with what code scanning requires of them (<c>help</c>, a <c>name</c> apart
/// from the id, <c>security-severity</c> and the <c>security</c> tag), one result per finding at its file and line
/// with a fingerprint that survives line moves, and URIs relative to a named base.
/// </summary>
public static partial class SarifReport
{
    public const string Schema = "https://json.schemastore.org/sarif-2.1.0.json";

    /// <summary>The base of paths inside the repository, as code scanning names it.</summary>
    public const string SourceRoot = "%SRCROOT%";

    /// <summary>The base of paths in a --workflows folder outside the repository.</summary>
    public const string WorkflowsRoot = "WORKFLOWSROOT";

    /// <summary>The README section on the audit, relative to the repository (its address is the user's).</summary>
    public const string HelpLink = "docs/harden.md";

    /// <param name="sourceRoot">The folder finding paths are relative to (the repository); null: none recorded.</param>
    /// <param name="workflowsFolder">The audited folder, the base of findings that lie outside <paramref name="sourceRoot"/>.</param>
    /// <param name="profile">The rules applied: only those are the run's rule metadata, and its name is a run property.</param>
    public static JObject Build(IEnumerable<AuditFinding> findings, Func<string, string> redact, string? sourceRoot = null, string? workflowsFolder = null,
        AuditProfile? profile = null)
    {
        profile ??= AuditProfile.Project;
        var rules = profile.Rules.ToList();
        var outside = false;
        var results = findings.Select(finding =>
        {
            var (baseId, uri) = Location(finding.Path, sourceRoot, workflowsFolder);
            outside |= baseId == WorkflowsRoot;
            return new JObject
            {
                ["ruleId"] = finding.RuleId,
                ["ruleIndex"] = rules.FindIndex(rule => rule.Id == finding.RuleId),
                ["level"] = Level(finding.Severity),
                ["message"] = new JObject { ["text"] = redact($"{finding.Message} — {finding.Fix}") },
                ["locations"] = new JArray(new JObject
                {
                    ["physicalLocation"] = new JObject
                    {
                        ["artifactLocation"] = new JObject { ["uri"] = uri, ["uriBaseId"] = baseId },
                        ["region"] = new JObject { ["startLine"] = Math.Max(1, finding.Line) },
                    },
                }),
                ["partialFingerprints"] = new JObject { ["harden/v1"] = Fingerprint(finding, uri) },
            };
        }).ToList();

        var bases = new JObject();
        if (sourceRoot is not null)
        {
            bases[SourceRoot] = new JObject { ["uri"] = FolderUri(sourceRoot) };
        }

        if (outside && workflowsFolder is not null)
        {
            bases[WorkflowsRoot] = new JObject { ["uri"] = FolderUri(workflowsFolder) };
        }

        var run = new JObject
        {
            ["tool"] = new JObject
            {
                ["driver"] = new JObject
                {
                    ["name"] = $"{BuildInfo.Name} Harden",
                    ["version"] = BuildInfo.Version,
                    ["informationUri"] = "https://github.com/",
                    ["rules"] = new JArray(rules.Select(Rule)),
                },
            },
            ["results"] = new JArray(results),
            ["properties"] = new JObject { ["hardenProfile"] = profile.Name },
        };
        if (bases.Count > 0)
        {
            run["originalUriBaseIds"] = bases;
        }

        return new JObject { ["$schema"] = Schema, ["version"] = "2.1.0", ["runs"] = new JArray(run) };
    }

    public static void Write(string path, JObject sarif) =>
        OutputFile.WriteAllText(path, sarif.ToString(Formatting.Indented));

    /// <summary>PascalCase of the id; a one-word id gets a prefix, since a name equal to the id says nothing more.</summary>
    public static string NameOf(AuditRule rule)
    {
        var name = string.Concat(rule.Id.Split('-').Select(word => char.ToUpperInvariant(word[0]) + word[1..]));
        return name.Equals(rule.Id, StringComparison.OrdinalIgnoreCase) ? $"Workflow{name}" : name;
    }

    /// <summary>Code scanning's severity scale (0.1 to 10, as a string): high for errors, medium for warnings.</summary>
    public static string SecuritySeverity(AuditRule rule) => rule.Id switch
    {
        AuditRules.TemplateInjection or AuditRules.OverprovisionedSecrets or AuditRules.DangerousTriggers => "8.8",
        _ => rule.Severity == Severity.Error ? "7.5" : "4.0",
    };

    private static JObject Rule(AuditRule rule)
    {
        var plain = rule.Flags.Replace("`", string.Empty, StringComparison.Ordinal);
        return new JObject
        {
            ["id"] = rule.Id,
            ["name"] = NameOf(rule),
            ["shortDescription"] = new JObject { ["text"] = rule.Title },
            ["fullDescription"] = new JObject { ["text"] = plain },
            ["help"] = new JObject
            {
                ["text"] = $"{rule.Title}. Flags: {plain}. Each result's message says what was found and what to change. README: Harden, the workflow audit.",
                ["markdown"] = $"**{rule.Title}** (`{rule.Id}`)\n\nFlags: {rule.Flags}.\n\nEach result's message says what was found and what to change. See " +
                    $"[README: Harden, the workflow audit]({HelpLink}).",
            },
            ["defaultConfiguration"] = new JObject { ["level"] = Level(rule.Severity) },
            ["properties"] = new JObject
            {
                ["tags"] = new JArray("security", "ci", "github-actions"),
                ["security-severity"] = SecuritySeverity(rule),
                ["precision"] = "high",
            },
        };
    }

    /// <summary>A relative URI under a named base: the repository's, or the audited folder's when the file lies outside it.</summary>
    private static (string BaseId, string Uri) Location(string path, string? sourceRoot, string? workflowsFolder)
    {
        var relative = path.Replace('\\', '/');
        var outside = Path.IsPathRooted(path) || relative.StartsWith("../", StringComparison.Ordinal) || relative == "..";
        if (outside && workflowsFolder is not null)
        {
            var full = Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(sourceRoot ?? Directory.GetCurrentDirectory(), path));
            return (WorkflowsRoot, Escape(Path.GetRelativePath(workflowsFolder, full).Replace('\\', '/')));
        }

        return (SourceRoot, Escape(relative.TrimStart('/')));
    }

    private static string Escape(string relative) => string.Join('/', relative.Split('/').Select(Uri.EscapeDataString));

    private static string FolderUri(string folder) => new Uri(Path.GetFullPath(folder).TrimEnd('/', '\\') + "/").AbsoluteUri;

    /// <summary>Rule, file and the finding's words without its numbers: the same finding keeps it when lines move.</summary>
    private static string Fingerprint(AuditFinding finding, string uri) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{finding.RuleId}\n{uri}\n{Digits().Replace(finding.Message, "#")}")))[..32];

    private static string Level(Severity severity) => severity == Severity.Error ? "error" : "warning";

    [GeneratedRegex(@"\d+")]
    private static partial Regex Digits();
}
