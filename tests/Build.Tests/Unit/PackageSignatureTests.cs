using System.Diagnostics;
using Build.Security;
using Build.Settings;
using Build.Tailnet;
using Build.Tests.Support;

namespace Build.Tests.Unit;

[TestFixture]
public sealed class PackageSignatureTests
{
    [Test]
    public void The_signed_message_is_BLAKE2s_256_of_the_file_then_its_length_as_little_endian_uint64()
    {
        // RFC 7693 appendix test vector: BLAKE2s-256("abc").
        var message = PackageSignature.PackageMessage("abc"u8);

        Assert.That(Convert.ToHexStringLower(message[..32]), Is.EqualTo("508c5e8c327c14e2e1a72ba34eeb452f37458b209ed63a294d999b4c86675982"));
        Assert.That(message[32..], Is.EqualTo(new byte[] { 3, 0, 0, 0, 0, 0, 0, 0 }));
    }

    [Test]
    public void The_embedded_roots_are_the_two_Ed25519_keys_of_tailscale_1_94_2()
    {
        var roots = new TailnetSettings().RootKeys;

        Assert.That(roots, Has.Count.EqualTo(2));
        Assert.That(Convert.ToBase64String(roots[0]), Is.EqualTo("Psrabv2YNiEDhPlnLVSMtB5EKACm7zxvKxfvYD4i7X8="));
        Assert.That(Convert.ToBase64String(roots[1]), Is.EqualTo("ZjjKhUHBtLNRSO1dhOTjrXJGJ8lDe1594WM2XDuheVQ="));
    }

    [Test]
    public void A_chain_from_a_trusted_root_verifies_and_any_broken_link_does_not()
    {
        var signer = new PackageSigner();
        var stranger = new PackageSigner();
        var roots = PackageSignature.ParseKeys(signer.RootPem, PackageSignature.RootKeyType);
        var tarball = "release"u8.ToArray();

        var keys = PackageSignature.TrustedSigningKeys(roots, signer.Bundle, signer.BundleSignature);
        Assert.That(keys, Is.Not.Null);
        Assert.That(PackageSignature.VerifyAny(keys!, PackageSignature.PackageMessage(tarball), signer.PackageSignatureOf(tarball)), Is.True);

        Assert.That(PackageSignature.TrustedSigningKeys(roots, stranger.Bundle, stranger.BundleSignature), Is.Null, "a bundle signed by an unknown root");
        Assert.That(PackageSignature.VerifyAny(keys!, PackageSignature.PackageMessage("releasf"u8), signer.PackageSignatureOf(tarball)), Is.False, "an altered tarball");
        Assert.That(PackageSignature.VerifyAny(keys!, PackageSignature.PackageMessage(tarball), stranger.PackageSignatureOf(tarball)), Is.False, "a signature by an unknown signing key");
        Assert.That(PackageSignature.VerifyAny(keys!, PackageSignature.PackageMessage(tarball), signer.PackageSignatureOf(tarball)[..63]), Is.False, "a short signature");
    }

    [TestCase("-----BEGIN SIGNING PUBLIC KEY-----\nPsrabv2YNiEDhPlnLVSMtB5EKACm7zxvKxfvYD4i7X8=\n-----END SIGNING PUBLIC KEY-----\n", "PEM type")]
    [TestCase("-----BEGIN ROOT PUBLIC KEY-----\nAAAA\n-----END ROOT PUBLIC KEY-----\n", "incorrect length")]
    [TestCase("", "no keys")]
    [TestCase("garbage", "failed to decode")]
    public void Root_key_files_are_parsed_as_strictly_as_distsign_does(string pem, string problem)
    {
        Assert.That(() => PackageSignature.ParseKeys(pem, PackageSignature.RootKeyType), Throws.TypeOf<FormatException>().With.Message.Contain(problem));
    }

    [TestCase("https://pkgs.tailscale.com", "https://dl.tailscale.com/stable/x.tgz", true)]
    [TestCase("https://pkgs.tailscale.com", "https://tailscale.com/x.tgz", true)]
    [TestCase("https://pkgs.tailscale.com", "http://dl.tailscale.com/x.tgz", false)]
    [TestCase("https://pkgs.tailscale.com", "https://tailscale.com.evil.example/x.tgz", false)]
    [TestCase("https://pkgs.tailscale.com", "https://eviltailscale.com/x.tgz", false)]
    [TestCase("https://pkgs.tailscale.com", "https://user@dl.tailscale.com/x.tgz", false)]
    [TestCase("http://127.0.0.1:8000", "http://127.0.0.1:9000/x.tgz", true)]
    [TestCase("http://127.0.0.1:8000", "http://localhost:9000/x.tgz", false)]
    [TestCase("http://127.0.0.1:8000", "http://127.0.0.2:9000/x.tgz", false)]
    public void Redirects_are_followed_only_within_the_sites_domain_and_over_https(string site, string target, bool follows)
    {
        Assert.That(PackageSite.MayFollow(new Uri(site), new Uri(target)), Is.EqualTo(follows));
    }

    [TestCase("100.101.102.103", 0, "pong from litellm")]
    [TestCase("litellm", 0, "pong from litellm")]
    [TestCase("LiteLLM", 0, "pong from litellm")]
    [TestCase("litellm.tail1234.ts.net.", 0, "pong from litellm")]
    [TestCase("litellm.tail1234.ts.net", 1, "error looking up IP of \"litellm.tail1234.ts.net\"")]
    [TestCase("100.64.9.9", 1, "no reply")]
    public void The_fake_tailscale_resolves_ping_targets_like_tailscaleIPFromArg(string target, int exitCode, string says)
    {
        using var tailnet = new FakeTailnet();
        tailnet.AlreadyRunning();
        var start = new ProcessStartInfo(Path.Combine(tailnet.Bin, "tailscale")) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "ping", "-c", "1", "--until-direct=false", "--timeout=1s", target })
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in tailnet.Environment())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();

        Assert.That(process.ExitCode, Is.EqualTo(exitCode), output);
        Assert.That(output, Does.Contain(says));
    }
}
