using Build.Tailnet;

namespace Build.Tests.Unit;

[TestFixture]
public sealed class TailnetUnitTests
{
    private const string Status = """
        {"BackendState":"Running","Self":{"HostName":"runner","Tags":["tag:ci"],"TailscaleIPs":["100.64.0.5"]},
         "Peer":{"nodekey:1":{"HostName":"litellm","DNSName":"litellm.tail1234.ts.net.","TailscaleIPs":["100.101.102.103"],"Online":true}},
         "CurrentTailnet":{"Name":"example.org"}}
        """;

    // tailscale cmd/tailscale/cli/ping.go (runPing): via is the endpoint, peer-relay(<relay>), or DERP(<region>); the last pong counts.
    [TestCase("pong from gw (100.64.0.2) via 203.0.113.5:41641 in 4ms", true, "direct")]
    [TestCase("pong from gw (100.64.0.2) via [2001:db8::5]:41641 in 4ms", true, "direct")]
    [TestCase("pong from gw (100.64.0.2) via DERP(nyc) in 23ms", false, "relayed (DERP)")]
    [TestCase("pong from gw (100.64.0.2) via peer-relay(198.51.100.167:7777:vni:7) in 35ms", false, "relayed (peer relay)")]
    [TestCase("pong from gw (100.64.0.2) via DERP(iad) in 39ms\npong from gw (100.64.0.2) via 203.0.113.5:37597 in 41ms", true, "direct")]
    [TestCase("pong from gw (100.64.0.2) via 203.0.113.5:37597 in 41ms\npong from gw (100.64.0.2) via peer-relay(198.51.100.167:7777:vni:7) in 35ms", false, "relayed (peer relay)")]
    [TestCase("pong from gw (100.64.0.2) via TSMP in 4ms", false, "not reported")]
    [TestCase("", false, "not reported")]
    public void The_ping_path_is_direct_only_through_an_endpoint(string output, bool direct, string path)
    {
        Assert.That(PeerCheck.PathOf(output), Is.EqualTo((direct, path)));
    }

    [TestCase(new[] { "tailscale", "tailscaled" }, null)]
    [TestCase(new[] { "tailscale" }, "the tarball lacks tailscale or tailscaled")]
    [TestCase(new[] { "tailscale", "tailscaled", "other/tailscale" }, "the tarball holds more than one tailscale")]
    [TestCase(new[] { "a/tailscaled", "tailscale", "b/tailscaled" }, "the tarball holds more than one tailscaled")]
    public async Task The_tarball_must_hold_exactly_one_of_each_binary(string[] entries, string? failure)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(buffer, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new System.Formats.Tar.TarWriter(gzip))
        {
            foreach (var entry in entries)
            {
                tar.WriteEntry(new System.Formats.Tar.PaxTarEntry(System.Formats.Tar.TarEntryType.RegularFile, $"tailscale_1.102.3_amd64/{entry}") { DataStream = new MemoryStream([1, 2, 3]) });
            }
        }

        var target = Directory.CreateTempSubdirectory("extract-").FullName;
        try
        {
            if (failure is null)
            {
                await TailscaleInstaller.ExtractAsync(buffer.ToArray(), target, CancellationToken.None);
                Assert.That(Directory.GetFiles(target).Select(Path.GetFileName), Is.EquivalentTo(new[] { "tailscale", "tailscaled" }));
            }
            else
            {
                var thrown = Assert.ThrowsAsync<Build.Gateway.CheckFailedException>(() => TailscaleInstaller.ExtractAsync(buffer.ToArray(), target, CancellationToken.None))!;
                Assert.That(thrown.Failure.Reason, Is.EqualTo(failure));
            }
        }
        finally
        {
            Directory.Delete(target, recursive: true);
        }
    }

    [TestCase("litellm.tail1234.ts.net")]
    [TestCase("litellm.tail1234.ts.net.")]
    [TestCase("LITELLM.tail1234.ts.net")]
    [TestCase("100.101.102.103")]
    public void The_gateway_is_found_by_MagicDNS_name_or_address(string host)
    {
        var status = TailscaleStatus.Parse(Status)!;
        Assert.That(status.FindPeer(host)?.HostName, Is.EqualTo("litellm"));
        Assert.That(status.Running, Is.True);
        Assert.That(status.SelfTags, Is.EqualTo(new[] { "tag:ci" }));
    }

    [Test]
    public void Another_name_is_not_a_peer_and_garbage_is_no_status()
    {
        Assert.That(TailscaleStatus.Parse(Status)!.FindPeer("litellm"), Is.Null);
        Assert.That(TailscaleStatus.Parse("failed to connect"), Is.Null);
    }

    [TestCase("Owner/Repo.Name", "4242", "2", "ci-owner-repo-name-4242-2")]
    [TestCase("a/" + "very-long-repository-name-that-goes-on-and-on-and-on-forever", "123456789", "1", "ci-a-very-long-repository-name-that-goes-on-and-on-and-on-forev")]
    public void Node_names_are_sanitised_and_at_most_63_characters(string repository, string run, string attempt, string expected)
    {
        var name = TailnetJoin.NodeName(repository, run, attempt, "machine");
        Assert.That(name, Is.EqualTo(expected));
        Assert.That(name.Length, Is.LessThanOrEqualTo(63));
    }

    [TestCase("backend error: requested tags [tag:ci] are invalid or not permitted", "tailnet-tags")]
    [TestCase("backend error: received unexpected status code 403: calling actor does not have enough permissions", "tailnet-forbidden")]
    [TestCase("backend error: invalid key: API key does not exist", "tailnet-invalid-key")]
    [TestCase("timeout waiting for Tailscale service to enter a Running state; check health with \"tailscale status\"", "tailnet-up-timeout")]
    [TestCase("something new", "tailscale-failed")]
    public void Tailscale_up_errors_are_classified(string output, string failure)
    {
        Assert.That(TailnetJoin.ClassifyUp(new ProcessResult(1, string.Empty, output, false)).Id, Is.EqualTo(failure));
    }

    [Test]
    public void An_odd_minor_version_comes_from_the_unstable_track()
    {
        Assert.That(TailscaleInstaller.Track("1.94.2"), Is.EqualTo("stable"));
        Assert.That(TailscaleInstaller.Track("1.95.1"), Is.EqualTo("unstable"));
    }
}
