using System.Text.RegularExpressions;
using Build.Core;
using Build.Gateway;
using Build.Settings;
using Build.Tests.Support;

namespace Build.Tests.Unit;

/// <summary>The README's tables must say what the program does.</summary>
[TestFixture]
public sealed class ReadmeTests
{
    private static readonly string Readme = File.ReadAllText(Repository.PathOf("README.md"));

    private static string Doc(string name) => File.ReadAllText(Repository.PathOf($"docs/{name}.md"));

    [Test]
    public void The_troubleshooting_table_has_exactly_the_failure_classes_and_fixes()
    {
        var rows = Regex.Matches(Doc("troubleshooting"), @"^\| `([a-z-]+)` \| (.+?) \| (.+?) \|$", RegexOptions.Multiline)
            .Select(match => (match.Groups[1].Value, match.Groups[2].Value, match.Groups[3].Value))
            .ToList();
        var classes = FailureClass.All.Select(failure => (failure.Id, failure.Title, failure.Fix)).ToList();
        Assert.That(rows, Is.EquivalentTo(classes));
    }

    [Test]
    public void Every_setting_is_in_the_settings_table()
    {
        foreach (var name in ArgumentNames.All)
        {
            Assert.That(Doc("settings"), Does.Contain($"`--{name}"), name);
        }

        foreach (var name in new[] { EnvironmentNames.LiteLlmUrl, EnvironmentNames.LiteLlmHost, EnvironmentNames.LiteLlmPort, EnvironmentNames.LiteLlmApiKey, EnvironmentNames.LiteLlmModel, EnvironmentNames.LiteLlmCaCert, EnvironmentNames.TsOAuthSecret, EnvironmentNames.TsOAuthClientId, EnvironmentNames.TsAudience, EnvironmentNames.TsAuthKey })
        {
            Assert.That(Doc("settings"), Does.Contain($"`{name}"), name);
        }
    }

    [Test]
    public void The_settings_table_is_the_catalog_that_the_reader_and_help_use()
    {
        var settings = Doc("settings");
        var table = settings[settings.IndexOf("| setting | source | default |", StringComparison.Ordinal)..];
        var rows = table.Split('\n').Skip(2).TakeWhile(line => line.StartsWith('|')).ToList();
        Assert.That(rows, Is.EqualTo(SettingsCatalog.MarkdownRows.ToList()));
        Assert.That(ArgumentNames.All, Is.EquivalentTo(SettingsCatalog.Entries.Select(entry => entry.Option).OfType<string>()));
        Assert.That(SettingsCatalog.HelpText(), Does.Contain("--tailscale-root-keys=PATH").And.Contain("LITELLM_API_KEY"));
    }

    [Test]
    public void The_rule_table_is_the_audits_rule_catalog()
    {
        var rows = Regex.Matches(Doc("harden"), @"^\| `([a-z-]+)` \((error|warning)\) \| (.+?) \|$", RegexOptions.Multiline)
            .Select(match => (match.Groups[1].Value, match.Groups[2].Value, match.Groups[3].Value))
            .ToList();
        var rules = Build.Hardening.AuditRules.All.Select(rule => (rule.Id, rule.Severity.ToString().ToLowerInvariant(), rule.Flags)).ToList();
        Assert.That(rows, Is.EqualTo(rules));
    }

    [Test]
    public void The_taint_table_is_the_one_the_audit_classifies_with()
    {
        var harden = Doc("harden");
        var table = harden[harden.IndexOf("| context | class | why |", StringComparison.Ordinal)..];
        var rows = table.Split('\n').Skip(2).TakeWhile(line => line.StartsWith('|')).ToList();
        Assert.That(rows, Is.EqualTo(Build.Hardening.ContextTable.MarkdownRows.ToList()));
    }

    [Test]
    public void The_pass_criteria_table_is_the_one_the_build_declares()
    {
        var checks = Doc("checks");
        var table = checks[checks.IndexOf("| check | must hold for a pass |", StringComparison.Ordinal)..];
        var rows = table.Split('\n').Skip(2).TakeWhile(line => line.StartsWith('|')).ToList();
        Assert.That(rows, Is.EqualTo(Build.Tasks.PassCriteria.MarkdownRows.ToList()));
        Assert.That(Build.Tasks.PassCriteria.All.Select(row => row.Check), Is.EquivalentTo(Build.Tasks.VerificationTask.CheckNames));
    }

    [Test]
    public void The_readme_gets_a_newcomer_to_green_on_its_first_screen_and_stays_short()
    {
        var firstScreen = string.Join('\n', Readme.Split('\n').Take(60));
        Assert.That(firstScreen, Does.Contain("## Try it locally").And.Contain("--virtual-key=sk-local-ci").And.Contain("LITELLM_API_KEY=sk-local-ci ./build.sh --target=Verify"));
        Assert.That(firstScreen, Does.Contain("## Verify your gateway").And.Contain("## Run the tests").And.Contain("docs/workflow.md"));
        Assert.That(Regex.Matches(Readme, @"\S+").Count, Is.LessThan(1500));
    }

    /// <summary>Every relative link of the README and the docs reaches a file, and a #section a heading of it.</summary>
    [Test]
    public void Every_relative_link_in_the_readme_and_the_docs_resolves()
    {
        var pages = new[] { "README.md" }.Concat(Directory.GetFiles(Repository.PathOf("docs"), "*.md").Select(path => Path.GetRelativePath(Repository.Root, path)));
        foreach (var page in pages)
        {
            var text = File.ReadAllText(Repository.PathOf(page));
            foreach (Match link in Regex.Matches(text, @"\]\((?!https?:|mailto:)([^)#\s]*)(?:#([^)\s]+))?\)"))
            {
                var target = link.Groups[1].Value.Length == 0 ? page : Path.GetRelativePath(Repository.Root, Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Repository.PathOf(page))!, link.Groups[1].Value)));
                Assert.That(File.Exists(Repository.PathOf(target)) || Directory.Exists(Repository.PathOf(target)), Is.True, $"{page}: {link.Value}");
                if (link.Groups[2].Success && target.EndsWith(".md", StringComparison.Ordinal))
                {
                    var anchors = Regex.Matches(File.ReadAllText(Repository.PathOf(target)), @"^#+ (.+)$", RegexOptions.Multiline)
                        .Select(heading => Regex.Replace(heading.Groups[1].Value.Trim().ToLowerInvariant(), @"[^\w\- ]", string.Empty).Replace(' ', '-'));
                    Assert.That(anchors, Does.Contain(link.Groups[2].Value), $"{page}: {link.Value}");
                }
            }
        }
    }

    [Test]
    public void The_readme_keeps_its_two_commands()
    {
        Assert.That(Readme, Does.Contain("./build.sh --target=Verify"));
        Assert.That(Readme, Does.Contain("dotnet test tests/Build.Tests"));
        Assert.That(File.ReadAllText(Repository.PathOf(".ci/run")), Does.Contain("dotnet test tests/Build.Tests"));
    }
}
