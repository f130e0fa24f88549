using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Build.Settings;
using Build.Tests.Support;

namespace Build.Tests.Unit;

/// <summary>Each setting at its edges: the last value accepted, the first refused, every spelling of a switch, and the exact line a user reads.</summary>
[TestFixture]
public sealed class SettingsEdgeTests
{
    private static (VerifySettings? Settings, IReadOnlyList<string> Problems) Read(Dictionary<string, string>? arguments = null, Dictionary<string, string>? environment = null) =>
        SettingsReader.Read(new TestSettings(arguments, environment));

    private static VerifySettings Valid(Dictionary<string, string>? arguments = null, Dictionary<string, string>? environment = null)
    {
        var (settings, problems) = Read(arguments, environment);
        Assert.That(problems, Is.Empty);
        return settings!;
    }

    [Test]
    public void Every_option_the_host_handles_is_accepted_as_it_is([Values("target", "t", "verbosity", "v", "exclusive", "e", "dryrun", "noop", "whatif", "tree", "showtree", "description", "descriptions", "showdescription", "version", "ver", "help", "h")] string option)
    {
        Assert.That(Read(new() { [option] = "x" }).Problems, Is.Empty);
    }

    [TestCase("api-key", "--api-key: keys are never taken from the command line (other users can read it); set the environment variable LITELLM_API_KEY instead")]
    [TestCase("litellm-api-key", "--litellm-api-key: keys are never taken from the command line (other users can read it); set the environment variable LITELLM_API_KEY instead")]
    [TestCase("auth-key", "--auth-key: Tailscale credentials are never taken from the command line")]
    [TestCase("authkey", "--authkey: Tailscale credentials are never taken from the command line")]
    [TestCase("oauth-secret", "--oauth-secret: Tailscale credentials are never taken from the command line")]
    [TestCase("ts-oauth-secret", "--ts-oauth-secret: Tailscale credentials are never taken from the command line")]
    public void A_credential_on_the_command_line_is_refused_with_its_own_reason_not_as_unknown(string option, string message)
    {
        var (settings, problems) = Read(new() { [option] = "canary-value" });
        Assert.That(settings, Is.Null);
        Assert.That(problems.Single(), Does.StartWith(message));
        Assert.That(problems.Single(), Does.Not.Contain("canary-value"));
    }

    [TestCase("modle", "--modle: unknown option (did you mean --model?)")]
    [TestCase("MODLE", "--MODLE: unknown option (did you mean --model?)")]
    [TestCase("deadlin", "--deadlin: unknown option (did you mean --deadline?)")]
    [TestCase("xyzzy-plugh", "--xyzzy-plugh: unknown option (see ./build.sh --help and the README's settings table)")]
    [TestCase("trees", "--trees: unknown option (did you mean --tree?)")]
    [TestCase("hepl", "--hepl: unknown option (did you mean --help?)")]
    [TestCase("TREE", "--TREE: unknown option (did you mean --tree?)")]
    [TestCase("Target", "--Target: unknown option (did you mean --target?)")]
    public void An_unknown_option_is_refused_with_the_nearest_known_one(string option, string message)
    {
        Assert.That(Read(new() { [option] = "x" }).Problems, Is.EqualTo(new[] { message }));
    }

    [Test]
    public void Unknown_options_are_reported_in_order_and_options_the_caller_knows_are_accepted()
    {
        var source = new TestSettings(new() { ["zeta-option"] = "1", ["alpha-option"] = "1", ["custom"] = "1" });
        var problems = SettingsReader.Read(source, ["custom"]).Problems;
        Assert.That(problems.Select(problem => problem.Split(':')[0]), Is.EqualTo(new[] { "--alpha-option", "--zeta-option" }));

        // Three edits away still suggests; four does not.
        Assert.That(Read(new() { ["mdl"] = "x" }).Problems.Single(), Does.EndWith("(did you mean --model?)"));
        Assert.That(Read(new() { ["tqqqq"] = "x" }).Problems.Single(), Does.EndWith("(see ./build.sh --help and the README's settings table)"));
    }

    [TestCase("1", 1)]
    [TestCase("3600", 3600)]
    [TestCase("0.5", null)]
    [TestCase("3600.5", null)]
    [TestCase("NaN", null)]
    [TestCase("ten", null)]
    public void The_deadline_is_1_to_3600_seconds(string raw, double? seconds)
    {
        var (settings, problems) = Read(new() { ["deadline"] = raw });
        if (seconds is { } expected)
        {
            Assert.That(settings!.Deadline, Is.EqualTo(TimeSpan.FromSeconds(expected)));
        }
        else
        {
            Assert.That(problems, Is.EqualTo(new[] { "--deadline: must be a number of seconds from 1 to 3600, such as --deadline=60" }));
        }
    }

    [TestCase("1", 1)]
    [TestCase("32768", 32768)]
    [TestCase("0", null)]
    [TestCase("32769", null)]
    [TestCase("-5", null)]
    [TestCase("+5", null)]
    [TestCase(" 5", null)]
    [TestCase("5.0", null)]
    public void Max_tokens_is_a_whole_number_from_1_to_32768(string raw, int? tokens)
    {
        var (settings, problems) = Read(new() { ["max-tokens"] = raw });
        if (tokens is { } expected)
        {
            Assert.That(settings!.MaxTokens, Is.EqualTo(expected));
        }
        else
        {
            Assert.That(problems, Is.EqualTo(new[] { "--max-tokens: must be a whole number from 1 to 32768, such as --max-tokens=64" }));
        }
    }

    [TestCase("0", 0)]
    [TestCase("3650", 3650)]
    [TestCase("3651", null)]
    [TestCase("-1", null)]
    [TestCase("2w", null)]
    public void Key_expiry_warning_days_are_0_to_3650(string raw, int? days)
    {
        var (settings, problems) = Read(new() { ["key-expiry-warn-days"] = raw });
        if (days is { } expected)
        {
            Assert.That(settings!.KeyExpiryWarnDays, Is.EqualTo(expected));
        }
        else
        {
            Assert.That(problems, Is.EqualTo(new[] { "--key-expiry-warn-days: must be a whole number from 0 to 3650, such as --key-expiry-warn-days=14" }));
        }

        Assert.That(Valid().KeyExpiryWarnDays, Is.EqualTo(14));
    }

    [TestCase(null, KeyPolicy.Enforce)]
    [TestCase("ENFORCE", KeyPolicy.Enforce)]
    [TestCase("warn", KeyPolicy.Warn)]
    [TestCase("Off", KeyPolicy.Off)]
    public void The_key_policy_is_enforce_unless_warn_or_off_is_asked_for(string? raw, KeyPolicy policy)
    {
        var arguments = raw is null ? new Dictionary<string, string>() : new() { ["key-policy"] = raw };
        Assert.That(Valid(arguments).KeyPolicy, Is.EqualTo(policy));
        Assert.That(Read(new() { ["key-policy"] = "audit" }).Problems, Is.EqualTo(new[] { "--key-policy: must be enforce, warn or off, such as --key-policy=warn" }));
    }

    [TestCase("", true)]
    [TestCase("true", true)]
    [TestCase("TRUE", true)]
    [TestCase("yes", true)]
    [TestCase("1", true)]
    [TestCase("false", false)]
    [TestCase("No", false)]
    [TestCase("0", false)]
    public void A_switch_reads_every_spelling(string raw, bool on)
    {
        Assert.That(Valid(new() { ["stream"] = raw, ["deep-health"] = raw }).Stream, Is.EqualTo(on));
        Assert.That(Valid(new() { ["deep-health"] = raw }).DeepHealth, Is.EqualTo(on));
    }

    [Test]
    public void A_switch_with_another_value_is_refused_and_an_absent_switch_is_off()
    {
        Assert.That(Read(new() { ["stream"] = "maybe" }).Problems, Is.EqualTo(new[] { "--stream: is a switch; write --stream or --stream=false" }));
        var settings = Valid();
        Assert.That((settings.Stream, settings.DeepHealth, settings.Insecure, settings.AllowHttp), Is.EqualTo((false, false, false, false)));
    }

    [TestCase(null, true)]
    [TestCase("block", true)]
    [TestCase("BLOCK", true)]
    [TestCase("audit", false)]
    [TestCase("Audit", false)]
    public void Harden_is_block_unless_audit_is_asked_for(string? raw, bool blocks)
    {
        var arguments = raw is null ? new Dictionary<string, string>() : new() { ["harden"] = raw };
        Assert.That(Valid(arguments).HardenBlocks, Is.EqualTo(blocks));
        Assert.That(Read(new() { ["harden"] = "off" }).Problems, Is.EqualTo(new[] { "--harden: must be audit or block, such as --harden=audit" }));
    }

    [Test]
    public void An_output_path_must_name_a_file_outside_the_build_program()
    {
        var folder = Directory.CreateTempSubdirectory("out-").FullName;
        try
        {
            foreach (var bad in new[] { "", "report/", folder, "a\0b" })
            {
                Assert.That(Read(new() { ["sarif"] = bad }).Problems, Is.EqualTo(new[] { "--sarif: must be a file path, such as --sarif=artifacts/harden.sarif" }), bad);
                Assert.That(Read(new() { ["report"] = bad }).Problems, Is.EqualTo(new[] { "--report: must be a file path, such as --report=artifacts/verify-report.json" }), bad);
            }

            Assert.That(Read(new() { ["sarif"] = Path.Combine(Repository.Root, "build", "x.sarif") }).Problems, Is.EqualTo(new[] { "--sarif: is inside build/, the build program's sources (every run would rebuild it); write it elsewhere, such as --sarif=artifacts/harden.sarif" }));
            Assert.That(Valid(new() { ["sarif"] = Path.Combine(folder, "h.sarif") }).SarifPath, Is.EqualTo(Path.Combine(folder, "h.sarif")));
            Assert.That(Valid().SarifPath, Is.Null);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public void Blank_values_count_as_absent()
    {
        var settings = Valid(new() { ["model"] = "  ", ["harden-agent-dir"] = " ", ["health-path"] = "" }, new() { ["LITELLM_MODEL"] = "env-model" });
        Assert.That(settings.Model, Is.EqualTo("env-model"));
        Assert.That(settings.HardenAgentDirectory, Is.EqualTo(Build.Hardening.HardenRunnerState.DefaultDirectory));
        Assert.That(settings.HealthPath, Is.EqualTo(SettingsReader.DefaultHealthPath));
        Assert.That(Valid(new() { ["harden-agent-dir"] = "/tmp/agent" }).HardenAgentDirectory, Is.EqualTo("/tmp/agent"));
        Assert.That(Valid(new() { ["model"] = "arg-model" }, new() { ["LITELLM_MODEL"] = "env-model" }).Model, Is.EqualTo("arg-model"));
    }

    [TestCase("/health/readiness", true)]
    [TestCase("health", false)]
    [TestCase("/a b", false)]
    [TestCase("/x\tb", false)]
    [TestCase("/redirect?to=https://elsewhere", false)]
    public void The_health_path_is_a_path(string path, bool accepted)
    {
        var problems = Read(new() { ["health-path"] = path }).Problems;
        Assert.That(problems, accepted ? Is.Empty : Is.EqualTo(new[] { "--health-path: must be a path starting with '/', such as /health/liveliness" }));
    }

    [Test]
    public void A_CA_certificate_is_read_from_PEM_or_DER_and_anything_else_is_refused()
    {
        var folder = Directory.CreateTempSubdirectory("ca-").FullName;
        try
        {
            using var key = ECDsa.Create();
            using var certificate = new CertificateRequest("CN=test-ca", key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
            var pem = Path.Combine(folder, "ca.pem");
            File.WriteAllText(pem, "comment before\n" + certificate.ExportCertificatePem() + "\n");
            var der = Path.Combine(folder, "ca.der");
            File.WriteAllBytes(der, certificate.Export(X509ContentType.Cert));
            var garbage = Path.Combine(folder, "ca.txt");
            File.WriteAllText(garbage, "not a certificate");
            var emptyPem = Path.Combine(folder, "empty.pem");
            File.WriteAllText(emptyPem, "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n");

            Assert.That(Valid(new() { ["ca-cert"] = pem }).ExtraTrust!.Single().Thumbprint, Is.EqualTo(certificate.Thumbprint));
            Assert.That(Valid(environment: new() { ["LITELLM_CA_CERT"] = der }).ExtraTrust!.Single().Thumbprint, Is.EqualTo(certificate.Thumbprint));
            Assert.That(Read(new() { ["ca-cert"] = garbage }).Problems, Is.EqualTo(new[] { "--ca-cert: the file holds no readable certificate; give a PEM or DER CA certificate" }));
            Assert.That(Read(environment: new() { ["LITELLM_CA_CERT"] = emptyPem }).Problems, Is.EqualTo(new[] { "LITELLM_CA_CERT: the file holds no readable certificate; give a PEM or DER CA certificate" }));
            Assert.That(Valid().ExtraTrust, Is.Null);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public void An_international_host_is_redacted_in_both_spellings()
    {
        var secrets = Valid(new() { ["litellm-url"] = "https://bücher.example.com:8443" }).InfrastructureNames;
        Assert.That(secrets, Does.Contain("xn--bcher-kva.example.com").And.Contain("bücher.example.com"));
    }

    [TestCase("100.64.0.1", true)]
    [TestCase("100.127.255.255", true)]
    [TestCase("100.63.255.255", false)]
    [TestCase("100.128.0.0", false)]
    [TestCase("101.64.0.1", false)]
    [TestCase("::ffff:100.100.1.1", true)]
    [TestCase("fd7a:115c:a1e0::1", true)]
    [TestCase("fd7a:115c:a1e1::1", false)]
    [TestCase("fe80::1", false)]
    public void Tailnet_addresses_are_Tailscales_CGNAT_and_ULA_ranges(string address, bool tailnet)
    {
        Assert.That(TailnetAddresses.IsTailnetAddress(IPAddress.Parse(address)), Is.EqualTo(tailnet));
    }

    [TestCase("http://LOCALHOST:4000", true, false)]
    [TestCase("http://127.0.0.1:4000", true, false)]
    [TestCase("http://gw.tail1.ts.net:8443", true, true)]
    [TestCase("http://100.100.1.1:8443", true, true)]
    [TestCase("http://[fd7a:115c:a1e0::5]:8443", true, true)]
    [TestCase("http://gw.example.com", false, false)]
    [TestCase("http://10.0.0.1", false, false)]
    public void Plain_http_is_for_loopback_and_the_tailnet(string url, bool loopbackOrTailnet, bool tailnet)
    {
        Assert.That(TailnetAddresses.IsLoopbackOrTailnet(new Uri(url)), Is.EqualTo(loopbackOrTailnet));
        Assert.That(TailnetAddresses.IsTailnetHost(new Uri(url)), Is.EqualTo(tailnet));
    }

    [Test]
    public void Help_lists_every_setting_between_blank_lines_without_Markdown()
    {
        var lines = SettingsCatalog.HelpText().Split(Environment.NewLine);
        Assert.That(lines[0], Is.Empty);
        Assert.That(lines[1], Is.EqualTo("SETTINGS (README: Settings; keys and credentials come only from the environment):"));
        Assert.That(lines[^1], Is.Empty);
        Assert.That(lines.Length, Is.EqualTo(SettingsCatalog.Entries.Count + 3));
        Assert.That(lines.Skip(2).SkipLast(1), Has.All.StartWith("    ").And.All.Not.Contain("`").And.All.Contain("; default "));
        Assert.That(SettingsCatalog.MarkdownRows, Has.None.Matches<string>(row => row.Replace("\\|", string.Empty, StringComparison.Ordinal).Count(character => character == '|') != 4));
    }
}
