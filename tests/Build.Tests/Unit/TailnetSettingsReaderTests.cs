using Build.Settings;
using Build.Tests.Support;

namespace Build.Tests.Unit;

/// <summary>The tailnet settings as the reader takes them: each refusal word for word, the credential it picks, the roots it trusts.</summary>
[TestFixture]
public sealed class TailnetSettingsReaderTests
{
    private static (VerifySettings? Settings, IReadOnlyList<string> Problems) Read(Dictionary<string, string>? arguments = null, Dictionary<string, string>? environment = null) =>
        SettingsReader.Read(new TestSettings(arguments, environment));

    [TestCase("tailscale-version", "1.2", "--tailscale-version: must be a version such as 1.102.3, or latest")]
    [TestCase("tailscale-version", "v1.2.3", "--tailscale-version: must be a version such as 1.102.3, or latest")]
    [TestCase("tailnet-tags", "ci", "--tailnet-tags: must be tags such as tag:ci (comma-separated)")]
    [TestCase("tailnet-tags", "tag:ci,other", "--tailnet-tags: must be tags such as tag:ci (comma-separated)")]
    [TestCase("tailscale-pkgs-url", "ftp://mirror.example/", "--tailscale-pkgs-url: must be an http(s) URL such as https://pkgs.tailscale.com")]
    [TestCase("tailscale-pkgs-url", "not a url", "--tailscale-pkgs-url: must be an http(s) URL such as https://pkgs.tailscale.com")]
    [TestCase("tailscale-pkgs-url", "http://mirror.example", "--tailscale-pkgs-url: must use https (the download is what tailscaled runs from)")]
    [TestCase("tailnet", "sometimes", "--tailnet: must be auto, reuse, join or off")]
    public void A_malformed_tailnet_setting_is_refused_with_its_form(string option, string value, string problem)
    {
        var (settings, problems) = Read(new() { [option] = value });

        Assert.That(settings, Is.Null);
        Assert.That(problems, Is.EqualTo(new[] { problem }));
    }

    [TestCase("tailscale-version", " latest ")]
    [TestCase("tailscale-version", "1.90.6")]
    [TestCase("tailnet-tags", " tag:ci,tag:smoke-2 ")]
    [TestCase("tailscale-pkgs-url", "http://127.0.0.1:8080/")]
    [TestCase("tailscale-pkgs-url", "https://mirror.example/tailscale/")]
    public void A_well_formed_tailnet_setting_is_taken_trimmed(string option, string value)
    {
        var (settings, problems) = Read(new() { [option] = value });

        Assert.That(problems, Is.Empty);
        var tailnet = settings!.Tailnet;
        var read = option switch
        {
            "tailscale-version" => tailnet.Version,
            "tailnet-tags" => tailnet.Tags,
            _ => tailnet.Packages.AbsoluteUri.TrimEnd('/'),
        };
        Assert.That(read, Is.EqualTo(value.Trim().TrimEnd('/')));
    }

    [TestCase(null, null, null, null, JoinCredential.None)]
    [TestCase("tskey-client-secret", null, null, "tskey-auth-key", JoinCredential.OAuthSecret)]
    [TestCase(null, "client", "api.tailscale.com/1234", "tskey-auth-key", JoinCredential.WorkloadIdentity)]
    [TestCase(null, "client", null, "tskey-auth-key", JoinCredential.AuthKey)]
    [TestCase(null, null, "api.tailscale.com/1234", null, JoinCredential.None)]
    [TestCase(null, "client", null, null, JoinCredential.None)]
    public void The_join_credential_is_the_first_complete_one_in_the_documented_order(string? secret, string? clientId, string? audience, string? authKey, JoinCredential expected)
    {
        var environment = new Dictionary<string, string>();
        foreach (var (name, value) in new[] { (EnvironmentNames.TsOAuthSecret, secret), (EnvironmentNames.TsOAuthClientId, clientId), (EnvironmentNames.TsAudience, audience), (EnvironmentNames.TsAuthKey, authKey) })
        {
            if (value is not null)
            {
                environment[name] = value;
            }
        }

        var (settings, problems) = Read(environment: environment);

        Assert.That(problems, Is.Empty);
        Assert.That(settings!.Tailnet.Credential, Is.EqualTo(expected));
    }

    [Test]
    public void Join_without_a_complete_credential_says_which_ones_would_do()
    {
        var (_, problems) = Read(new() { ["tailnet"] = "join" }, new() { [EnvironmentNames.TsOAuthClientId] = "client" });

        Assert.That(problems, Is.EqualTo(new[]
        {
            "--tailnet=join: needs TS_OAUTH_SECRET (OAuth client), TS_OAUTH_CLIENT_ID + TS_AUDIENCE (workload identity federation) or TS_AUTHKEY in the environment",
        }));
        Assert.That(Read(new() { ["tailnet"] = "join" }, new() { [EnvironmentNames.TsAuthKey] = "tskey-auth-key" }).Problems, Is.Empty);
    }

    [Test]
    public void Root_keys_from_a_file_replace_the_embedded_ones_and_say_so()
    {
        var embedded = Read().Settings!.Tailnet;
        Assert.That(embedded.RootKeysOrigin, Is.EqualTo(TailnetSettings.EmbeddedRootsOrigin));

        var folder = Directory.CreateTempSubdirectory("root-keys-").FullName;
        var pem = Path.Combine(folder, "roots.pem");
        File.WriteAllText(pem, $"-----BEGIN {Build.Security.PackageSignature.RootKeyType}-----\n{Convert.ToBase64String(new byte[32])}\n-----END {Build.Security.PackageSignature.RootKeyType}-----\n");
        var given = Read(new() { ["tailscale-root-keys"] = pem }).Settings!.Tailnet;
        Assert.That(given.RootKeysOrigin, Is.EqualTo("root keys from --tailscale-root-keys"));
        Assert.That(given.RootKeys, Has.Count.EqualTo(1));
        Assert.That(given.RootKeys.Single(), Is.EqualTo(new byte[32]));

        File.WriteAllText(pem, "not a key");
        var (settings, problems) = Read(new() { ["tailscale-root-keys"] = pem });
        Assert.That(settings, Is.Null);
        Assert.That(problems.Single(), Does.StartWith("--tailscale-root-keys: not a PEM file of ROOT PUBLIC KEY blocks ("));

        var (_, missing) = Read(new() { ["tailscale-root-keys"] = Path.Combine(folder, "missing.pem") });
        Assert.That(missing.Single(), Does.StartWith("--tailscale-root-keys: ").And.EndWith("; give a PEM file of ROOT PUBLIC KEY blocks"));
        Directory.Delete(folder, recursive: true);
    }
}
