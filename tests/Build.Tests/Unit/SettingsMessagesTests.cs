using Build.Settings;
using Build.Tests.Support;

namespace Build.Tests.Unit;

/// <summary>Every settings problem, word for word: each names the setting, where to set it, and never the value.</summary>
[TestFixture]
public sealed class SettingsMessagesTests
{
    private static IReadOnlyList<string> Problems(Dictionary<string, string>? arguments = null, Dictionary<string, string>? environment = null) =>
        SettingsReader.Read(new TestSettings(arguments, environment)).Problems;

    private static IEnumerable<TestCaseData> Cases()
    {
        TestCaseData Case(string name, string expected, Dictionary<string, string>? arguments = null, Dictionary<string, string>? environment = null) =>
            new TestCaseData(arguments, environment, expected).SetName($"Problem: {name}");

        yield return Case("host with a path", "LITELLM_HOST: must be a bare host name such as gateway.tail1234.ts.net, without scheme, port or path (set the GitHub secret or environment variable LITELLM_HOST)", environment: new() { ["LITELLM_HOST"] = "gw.tail1.ts.net/v1" });
        yield return Case("host with a port", "LITELLM_HOST: must be a bare host name such as gateway.tail1234.ts.net, without scheme, port or path (set the GitHub secret or environment variable LITELLM_HOST)", environment: new() { ["LITELLM_HOST"] = "gw.tail1.ts.net:8443" });
        yield return Case("port 65536", "LITELLM_PORT: must be a port number from 1 to 65535 (set the GitHub secret or environment variable LITELLM_PORT)", environment: new() { ["LITELLM_HOST"] = "gw.tail1.ts.net", ["LITELLM_PORT"] = "65536" });
        yield return Case("port 0", "LITELLM_PORT: must be a port number from 1 to 65535 (set the GitHub secret or environment variable LITELLM_PORT)", environment: new() { ["LITELLM_HOST"] = "gw.tail1.ts.net", ["LITELLM_PORT"] = "0" });
        yield return Case("url not absolute, from the option", "--litellm-url: not an absolute http(s) URL; write it as https://gateway.tail1234.ts.net:8443 (set in --litellm-url)", arguments: new() { ["litellm-url"] = "gw.tail1.ts.net" });
        yield return Case("url not absolute, from the environment", "LITELLM_URL: not an absolute http(s) URL; write it as https://gateway.tail1234.ts.net:8443 (set in LITELLM_URL (GitHub secret or environment variable))", environment: new() { ["LITELLM_URL"] = "ftp://gw.tail1.ts.net" });
        yield return Case("url with a fragment", "--litellm-url: must not carry credentials, a query or a fragment; the key goes in LITELLM_API_KEY (set in --litellm-url)", arguments: new() { ["litellm-url"] = "https://gw.tail1.ts.net:8443/#top" });
        yield return Case("url with credentials", "LITELLM_URL: must not carry credentials, a query or a fragment; the key goes in LITELLM_API_KEY (set in LITELLM_URL (GitHub secret or environment variable))", environment: new() { ["LITELLM_URL"] = "https://user:sk-1@gw.tail1.ts.net:8443" });
        yield return Case("plain http to a public host", "--litellm-url: plain http to a host outside loopback and the tailnet would send the key in clear; use https, or pass --allow-http to accept the risk", arguments: new() { ["litellm-url"] = "http://gateway.example.com" });
        yield return Case("key as an option", "--api-key: keys are never taken from the command line (other users can read it); set the environment variable LITELLM_API_KEY instead", arguments: new() { ["api-key"] = "sk-1" });
        yield return Case("key with a newline", "LITELLM_API_KEY: contains spaces or control characters (a pasted newline?); set the GitHub secret or environment variable again", environment: new() { ["LITELLM_API_KEY"] = "sk-1\nsk-2" });
        yield return Case("model with a space", "--model / LITELLM_MODEL: a model name has no spaces or control characters", arguments: new() { ["model"] = "gpt 4" });
        yield return Case("health path without a slash", "--health-path: must be a path starting with '/', such as /health/liveliness", arguments: new() { ["health-path"] = "health" });
        yield return Case("max tokens 0", "--max-tokens: must be a whole number from 1 to 32768, such as --max-tokens=64", arguments: new() { ["max-tokens"] = "0" });
        yield return Case("max tokens 32769", "--max-tokens: must be a whole number from 1 to 32768, such as --max-tokens=64", arguments: new() { ["max-tokens"] = "32769" });
        yield return Case("switch with a value", "--stream: is a switch; write --stream or --stream=false", arguments: new() { ["stream"] = "maybe" });
        yield return Case("mode", "--egress: must be audit or block, such as --egress=audit", arguments: new() { ["egress"] = "strict" });
        yield return Case("report is a folder", "--report: must be a file path, such as --report=artifacts/verify-report.json", arguments: new() { ["report"] = "/tmp/" });
        yield return Case("sarif is a folder", "--sarif: must be a file path, such as --sarif=artifacts/harden.sarif", arguments: new() { ["sarif"] = "/tmp" });
        yield return Case("unknown option near a known one", "--modle: unknown option (did you mean --model?)", arguments: new() { ["modle"] = "x" });
        yield return Case("unknown option far from any", "--frobnicate-everything: unknown option (see ./build.sh --help and the README's settings table)", arguments: new() { ["frobnicate-everything"] = "x" });
    }

    [TestCaseSource(nameof(Cases))]
    public void Each_problem_names_the_setting_and_where_to_set_it(Dictionary<string, string>? arguments, Dictionary<string, string>? environment, string expected)
    {
        var problems = Problems(arguments, environment);

        Assert.That(problems, Is.EqualTo(new[] { expected }));
    }

    [TestCase("65535", 65535)]
    [TestCase("1", 1)]
    [TestCase(null, 8443)]
    public void A_host_takes_its_port_from_LITELLM_PORT_or_8443_and_means_https(string? port, int expected)
    {
        var environment = new Dictionary<string, string> { ["LITELLM_HOST"] = "gw.tail1.ts.net" };
        if (port is not null)
        {
            environment["LITELLM_PORT"] = port;
        }

        var (settings, problems) = SettingsReader.Read(new TestSettings(environment: environment));

        Assert.That(problems, Is.Empty);
        Assert.That(settings!.GatewayUrl.Scheme, Is.EqualTo("https"));
        Assert.That(settings.GatewayUrl.Port, Is.EqualTo(expected));
        Assert.That(settings.InfrastructureNames, Does.Contain("gw.tail1.ts.net"));
    }

    [Test]
    public void The_defaults_hold_when_nothing_is_set()
    {
        var (settings, problems) = SettingsReader.Read(new TestSettings());

        Assert.That(problems, Is.Empty);
        Assert.That(settings!.MaxTokens, Is.EqualTo(16));
        Assert.That(settings.Stream, Is.False);
        Assert.That(settings.DeepHealth, Is.False);
        Assert.That(settings.Insecure, Is.False);
        Assert.That(settings.AllowHttp, Is.False);
        Assert.That(settings.HardenBlocks, Is.True);
        Assert.That(settings.HardenProfile, Is.SameAs(Build.Hardening.AuditProfile.Project));
        Assert.That(settings.Egress, Is.EqualTo(Build.Security.EgressMode.Block));
        Assert.That(settings.HardenAgentDirectory, Is.EqualTo("/home/agent"));
        Assert.That(settings.SarifPath, Is.Null);
        Assert.That(settings.WorkflowsGiven, Is.False);
        Assert.That(settings.IsGitHubActions, Is.False);
        Assert.That(settings.StepSummaryPath, Is.Null);
        Assert.That(settings.Deadline, Is.EqualTo(TimeSpan.FromSeconds(10)));
        Assert.That(SettingsReader.Read(new TestSettings(environment: new() { ["CI"] = "true" })).Settings!.Deadline, Is.EqualTo(TimeSpan.FromSeconds(60)));
        Assert.That(SettingsReader.Read(new TestSettings(arguments: new() { ["stream"] = "false", ["harden"] = "audit" })).Settings!.HardenBlocks, Is.False);
        Assert.That(SettingsReader.Read(new TestSettings(arguments: new() { ["harden-profile"] = "Audit" })).Settings!.HardenProfile, Is.SameAs(Build.Hardening.AuditProfile.Audit));
    }

    [Test]
    public void An_unknown_harden_profile_names_the_ones_there_are()
    {
        var (settings, problems) = SettingsReader.Read(new TestSettings(arguments: new() { ["harden-profile"] = "strict" }));
        Assert.That(settings, Is.Null);
        Assert.That(problems, Is.EqualTo(new[] { "--harden-profile: must be project or audit, such as --harden-profile=audit" }));
    }
}
