using System.Text.RegularExpressions;
using Build.Gateway;
using Build.Settings;
using Build.Tests.Support;

namespace Build.Tests.Unit;

/// <summary>The README's tables must say what the program does.</summary>
[TestFixture]
public sealed class ReadmeTests
{
    private static readonly string Readme = File.ReadAllText(Repository.PathOf("README.md"));

    [Test]
    public void The_troubleshooting_table_has_exactly_the_failure_classes_and_fixes()
    {
        var rows = Regex.Matches(Readme, @"^\| `([a-z-]+)` \| (.+?) \| (.+?) \|$", RegexOptions.Multiline)
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
            Assert.That(Readme, Does.Contain($"`--{name}"), name);
        }

        foreach (var name in new[] { EnvironmentNames.LiteLlmUrl, EnvironmentNames.LiteLlmHost, EnvironmentNames.LiteLlmPort, EnvironmentNames.LiteLlmApiKey, EnvironmentNames.LiteLlmModel, EnvironmentNames.LiteLlmCaCert, EnvironmentNames.TsOAuthSecret, EnvironmentNames.TsOAuthClientId, EnvironmentNames.TsAudience, EnvironmentNames.TsAuthKey })
        {
            Assert.That(Readme, Does.Contain($"`{name}"), name);
        }
    }

    [Test]
    public void The_settings_table_is_the_catalog_that_the_reader_and_help_use()
    {
        var table = Readme[(Readme.IndexOf("| setting | source | default |", StringComparison.Ordinal))..];
        var rows = table.Split('\n').Skip(2).TakeWhile(line => line.StartsWith('|')).ToList();
        Assert.That(rows, Is.EqualTo(SettingsCatalog.MarkdownRows.ToList()));
        Assert.That(ArgumentNames.All, Is.EquivalentTo(SettingsCatalog.Entries.Select(entry => entry.Option).OfType<string>()));
        Assert.That(SettingsCatalog.HelpText(), Does.Contain("--tailscale-root-keys=PATH").And.Contain("LITELLM_API_KEY"));
    }

    [Test]
    public void The_rule_table_is_the_audits_rule_catalog()
    {
        var rows = Regex.Matches(Readme, @"^\| `([a-z-]+)` \((error|warning)\) \| (.+?) \|$", RegexOptions.Multiline)
            .Select(match => (match.Groups[1].Value, match.Groups[2].Value, match.Groups[3].Value))
            .ToList();
        var rules = Build.Hardening.AuditRules.All.Select(rule => (rule.Id, rule.Severity.ToString().ToLowerInvariant(), rule.Flags)).ToList();
        Assert.That(rows, Is.EqualTo(rules));
    }

    [Test]
    public void The_pass_criteria_table_is_the_one_the_build_declares()
    {
        var table = Readme[Readme.IndexOf("| check | must hold for a pass |", StringComparison.Ordinal)..];
        var rows = table.Split('\n').Skip(2).TakeWhile(line => line.StartsWith('|')).ToList();
        Assert.That(rows, Is.EqualTo(Build.Tasks.PassCriteria.MarkdownRows.ToList()));
        Assert.That(Build.Tasks.PassCriteria.All.Select(row => row.Check), Is.EquivalentTo(Build.Tasks.VerificationTask.CheckNames));
    }

    [Test]
    public void The_readme_keeps_its_two_commands()
    {
        Assert.That(Readme, Does.Contain("./build.sh --target=Verify"));
        Assert.That(Readme, Does.Contain("dotnet test tests/Build.Tests"));
        Assert.That(File.ReadAllText(Repository.PathOf(".ci/run")), Does.Contain("dotnet test tests/Build.Tests"));
    }
}
