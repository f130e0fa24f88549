using System.Text.RegularExpressions;
using Build.Tests.Support;

namespace Build.Tests.Unit;

/// <summary>
/// The build program's folders form layers: no folder uses a folder that uses it back. A folder uses another when one of
/// its files has <c>using Build.X</c>, names <c>Build.X.</c> in full, or names a type declared at the top of build/ (the
/// context, the lifetimes: the "(root)" folder).
/// </summary>
[TestFixture]
public sealed partial class LayoutTests
{
    private static readonly string BuildFolder = Repository.PathOf("build");

    [Test]
    public void No_folder_uses_a_folder_that_uses_it_back()
    {
        var uses = FolderUses();
        var cycles = uses.SelectMany(pair => pair.Value.Where(other => string.CompareOrdinal(pair.Key, other) < 0 && uses.TryGetValue(other, out var back) && back.Contains(pair.Key))
            .Select(other => $"{pair.Key} <-> {other}")).ToList();

        Assert.That(uses.Keys, Does.Contain("(root)").And.Contain("Core").And.Contain("Hardening"), "the scan found the folders");
        Assert.That(cycles, Is.Empty);
    }

    [Test]
    public void Core_uses_no_other_folder()
    {
        Assert.That(FolderUses()["Core"], Is.Empty);
    }

    [Test]
    public void Each_audit_rule_is_one_file_of_the_rules_folder_and_in_the_registry_once()
    {
        var rules = Build.Hardening.Rules.AuditRuleRegistry.All;
        var ids = typeof(Build.Hardening.AuditRules).GetFields().Where(field => field.IsLiteral && field.FieldType == typeof(string) && field.Name != "HardenRunnerAction" && field.Name != "CheckoutAction" && field.Name != "TailscaleAction")
            .Select(field => (string)field.GetRawConstantValue()!).ToList();

        Assert.That(rules.Select(rule => rule.Rule.Id), Is.Unique.And.EquivalentTo(ids), "every rule id has one rule");
        foreach (var rule in rules)
        {
            var file = Path.Combine(BuildFolder, "Hardening", "Rules", rule.GetType().Name + ".cs");
            Assert.That(File.Exists(file), file);
            Assert.That(File.ReadAllText(file), Does.Contain($"AuditRules.{Regex.Replace(rule.Rule.Id, "(^|-)([a-z])", match => match.Groups[2].Value.ToUpperInvariant()).Replace("GithubEnv", "GitHubEnv", StringComparison.Ordinal)},"), "the file declares its rule's metadata");
        }
    }

    [Test]
    public void No_line_of_the_build_program_is_longer_than_160_characters()
    {
        var files = Directory.EnumerateFiles(BuildFolder, "*.cs", SearchOption.AllDirectories)
            .Where(path => !Path.GetRelativePath(BuildFolder, path).Replace('\\', '/').StartsWith("bin/", StringComparison.Ordinal)
                && !Path.GetRelativePath(BuildFolder, path).Replace('\\', '/').StartsWith("obj/", StringComparison.Ordinal));
        var tooLong = files.SelectMany(path => File.ReadLines(path).Select((line, index) => (path, line, index)))
            .Where(entry => entry.line.Length > 160)
            .Select(entry => $"{Path.GetRelativePath(BuildFolder, entry.path)}:{entry.index + 1} ({entry.line.Length})")
            .ToList();

        Assert.That(tooLong, Is.Empty);
    }

    [Test]
    public void The_scan_sees_a_using_a_full_name_and_a_root_type()
    {
        var roots = new HashSet<string>(["BuildContext"]);
        Assert.That(Used("using Build.Gateway;\nnamespace Build.Tailnet;", roots), Is.EquivalentTo(new[] { "Gateway" }));
        Assert.That(Used("namespace Build.Tailnet; class X { Build.Reporting.RunFacts? f; }", roots), Is.EquivalentTo(new[] { "Reporting" }));
        Assert.That(Used("namespace Build.Tailnet; class X(BuildContext context) { }", roots), Is.EquivalentTo(new[] { "(root)" }));
        Assert.That(Used("namespace Build.Tailnet; // BuildContext in a comment\nclass X { }", roots), Is.Empty);
    }

    private static Dictionary<string, HashSet<string>> FolderUses()
    {
        var files = Directory.EnumerateFiles(BuildFolder, "*.cs", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(BuildFolder, path).Replace('\\', '/'))
            .Where(path => !path.StartsWith("bin/", StringComparison.Ordinal) && !path.StartsWith("obj/", StringComparison.Ordinal))
            .ToList();
        static string FolderOf(string path) => path.Contains('/', StringComparison.Ordinal) ? path.Split('/')[0] : "(root)";
        var rootTypes = files.Where(path => FolderOf(path) == "(root)")
            .SelectMany(path => TypeDeclaration().Matches(File.ReadAllText(Path.Combine(BuildFolder, path))).Select(match => match.Groups[1].Value))
            .ToHashSet(StringComparer.Ordinal);

        var uses = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var path in files)
        {
            var folder = FolderOf(path);
            var used = uses.TryGetValue(folder, out var existing) ? existing : uses[folder] = [];
            used.UnionWith(Used(File.ReadAllText(Path.Combine(BuildFolder, path)), folder == "(root)" ? [] : rootTypes).Where(other => other != folder));
        }

        return uses;
    }

    private static IEnumerable<string> Used(string source, IReadOnlySet<string> rootTypes)
    {
        var code = Namespace().Replace(Comment().Replace(source, string.Empty), string.Empty);
        var named = FolderName().Matches(code).Select(match => match.Groups[1].Value);
        var root = Identifier().Matches(code).Any(match => rootTypes.Contains(match.Value)) ? ["(root)"] : Array.Empty<string>();
        return named.Concat(root).Distinct();
    }

    [GeneratedRegex(@"(?<![\w.])(?:global::)?Build\.([A-Z]\w*)")]
    private static partial Regex FolderName();

    [GeneratedRegex(@"(?:public|internal)\s+(?:sealed\s+|static\s+|abstract\s+|partial\s+)*(?:class|record|enum|interface|struct)\s+(\w+)")]
    private static partial Regex TypeDeclaration();

    [GeneratedRegex(@"\b[A-Z]\w*\b")]
    private static partial Regex Identifier();

    [GeneratedRegex(@"^\s*namespace\s+[\w.]+\s*;", RegexOptions.Multiline)]
    private static partial Regex Namespace();

    [GeneratedRegex(@"//[^\n]*|/\*.*?\*/", RegexOptions.Singleline)]
    private static partial Regex Comment();
}
