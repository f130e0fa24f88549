using System.Net;

namespace Build.Settings;

/// <summary>Where plain http is acceptable and where the tailnet is involved.</summary>
public static class TailnetAddresses
{
    /// <summary>True for loopback and tailnet destinations, where plain http does not cross an untrusted network.</summary>
    public static bool IsLoopbackOrTailnet(Uri url)
    {
        if (url.IsLoopback || url.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (url.Host.EndsWith(".ts.net", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return IPAddress.TryParse(url.Host, out var address) && IsTailnetAddress(address);
    }

    /// <summary>
    /// Tailscale's ranges: 100.64.0.0/10 (CGNAT) and fd7a:115c:a1e0::/48 (its IPv6 ULA), as
    /// tailscale/tailscale net/tsaddr/tsaddr.go (v1.94.2) defines cgnatRange and tsUlaRange.
    /// </summary>
    public static bool IsTailnetAddress(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        var bytes = address.GetAddressBytes();
        return bytes.Length == 4
            ? bytes[0] == 100 && (bytes[1] & 0xC0) == 64
            : bytes.AsSpan(0, 6).SequenceEqual(TailscaleUlaPrefix);
    }

    private static readonly byte[] TailscaleUlaPrefix = [0xfd, 0x7a, 0x11, 0x5c, 0xa1, 0xe0];

    /// <summary>A MagicDNS name (*.ts.net) or a tailnet address: the gateway is reached through Tailscale.</summary>
    public static bool IsTailnetHost(Uri url) =>
        url.Host.EndsWith(".ts.net", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(url.Host, out var address) && IsTailnetAddress(address));
}
