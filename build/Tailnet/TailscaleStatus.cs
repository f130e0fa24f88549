using Build.Gateway;
using Newtonsoft.Json.Linq;

namespace Build.Tailnet;

public sealed record TailnetPeer(string HostName, string DnsName, IReadOnlyList<string> Addresses, bool Online, string? Relay);

/// <summary>The parts of <c>tailscale status --json</c> ConnectTailnet needs (ipnstate.Status).</summary>
public sealed record TailscaleStatus(string BackendState, string? TailnetName, IReadOnlyList<string> SelfTags, IReadOnlyList<string> SelfAddresses,
    IReadOnlyList<TailnetPeer> Peers)
{
    public bool Running => BackendState == "Running";

    public static TailscaleStatus? Parse(string json)
    {
        if (LenientJson.Parse(json) is not JObject root)
        {
            return null;
        }

        var peers = (root["Peer"] as JObject)?.Properties()
            .Select(property => property.Value)
            .OfType<JObject>()
            .Select(peer => new TailnetPeer(
                LenientJson.Text(peer, "HostName") ?? string.Empty,
                (LenientJson.Text(peer, "DNSName") ?? string.Empty).TrimEnd('.'),
                Strings(peer["TailscaleIPs"]),
                peer["Online"]?.Type == JTokenType.Boolean && peer.Value<bool>("Online"),
                LenientJson.Text(peer, "Relay")))
            .ToList() ?? [];

        return new TailscaleStatus(
            LenientJson.Text(root, "BackendState") ?? "NoState",
            LenientJson.Text(root, "CurrentTailnet.Name"),
            Strings((root["Self"] as JObject)?["Tags"]),
            Strings((root["Self"] as JObject)?["TailscaleIPs"]),
            peers);
    }

    /// <summary>The gateway's node: by MagicDNS name (with or without the trailing dot) or by 100.x address.</summary>
    public TailnetPeer? FindPeer(string host)
    {
        var name = host.TrimEnd('.');
        return Peers.FirstOrDefault(peer =>
            peer.DnsName.Equals(name, StringComparison.OrdinalIgnoreCase)
            || peer.Addresses.Contains(name, StringComparer.OrdinalIgnoreCase));
    }

    private static IReadOnlyList<string> Strings(JToken? token) =>
        token is JArray array ? array.Select(item => item.ToString()).ToList() : [];
}
