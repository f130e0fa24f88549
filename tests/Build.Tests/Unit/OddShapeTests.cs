using Build.Hardening;
using Build.Tailnet;

namespace Build.Tests.Unit;

/// <summary>JSON of an unexpected shape from tailscale or the runner reads as absent, never as an exception.</summary>
[TestFixture]
public sealed class OddShapeTests
{
    [Test]
    public void A_tailscale_status_whose_Self_is_not_an_object_has_no_tags_or_addresses()
    {
        var status = TailscaleStatus.Parse("""{"BackendState":"Running","Self":"odd","Peer":[]}""")!;
        Assert.That((status.BackendState, status.SelfTags.Count, status.SelfAddresses.Count, status.Peers.Count), Is.EqualTo(("Running", 0, 0, 0)));
    }

    [Test]
    public void An_event_payload_whose_repository_is_not_an_object_is_not_private()
    {
        var directory = Directory.CreateTempSubdirectory("agent-").FullName;
        try
        {
            var eventPath = Path.Combine(directory, "event.json");
            File.WriteAllText(eventPath, """{"repository":["private"]}""");
            Assert.That(HardenRunnerState.Read(directory, eventPath).PrivateRepository, Is.False);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
