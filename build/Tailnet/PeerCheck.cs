using System.Diagnostics;
using Build.Gateway;

namespace Build.Tailnet;

public sealed record PeerReport(TailscaleStatus Status, TailnetPeer Peer, bool Direct, string Path);

/// <summary>Requires the gateway's node among the peers and online, then a tailscale ping that answers, until the deadline.</summary>
public static class PeerCheck
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    public static async Task<PeerReport> RunAsync(TailscaleCli cli, string host, TimeSpan deadline, Action<string> registerSecret,
        CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        TailscaleStatus status;
        TailnetPeer? peer;

        // A new node's peers can take ~30 s to appear: poll until the deadline.
        while (true)
        {
            status = await cli.StatusAsync(cancellationToken);
            if (!status.Running)
            {
                throw new CheckFailedException(status.BackendState is "NeedsLogin" or "NeedsMachineAuth" or "Stopped" or "NoState"
                    ? Failure.Of(FailureClass.TailnetLoggedOut, $"tailscale's state is {status.BackendState}")
                    : Failure.Of(FailureClass.TailnetUpTimeout, $"tailscale's state is {status.BackendState}"));
            }

            peer = status.FindPeer(host);
            if (peer is { Online: true } || clock.Elapsed + PollInterval >= deadline)
            {
                break;
            }

            await Task.Delay(PollInterval, cancellationToken);
        }

        if (peer is null)
        {
            throw new CheckFailedException(Failure.Of(FailureClass.GatewayNotPeer,
                $"No peer has the gateway's name or address ({status.Peers.Count} peer(s) visible)"));
        }

        foreach (var address in peer.Addresses)
        {
            registerSecret(address);
        }

        // The full MagicDNS name, not the short host name: a short name like "litellm" would redact ordinary words.
        registerSecret(peer.DnsName);
        if (!peer.Online)
        {
            throw new CheckFailedException(Failure.Of(FailureClass.PeerOffline));
        }

        // tailscale 1.94.2 cmd/tailscale/cli/ping.go (tailscaleIPFromArg) matches a peer only by its short
        // name or its DNSName with the trailing dot; any other name goes to the host's resolver, which
        // knows no MagicDNS names in userspace mode. The peer's first Tailscale IP needs no lookup.
        var target = peer.Addresses.FirstOrDefault()
            ?? throw new CheckFailedException(Failure.Of(FailureClass.GatewayNotPeer, "The gateway's node has no Tailscale address"));
        var attempts = 0;
        ProcessResult ping;
        do
        {
            attempts++;
            var remaining = deadline - clock.Elapsed;
            var wait = remaining > TimeSpan.FromSeconds(10) ? TimeSpan.FromSeconds(10) : remaining > TimeSpan.FromSeconds(1) ? remaining
                : TimeSpan.FromSeconds(1);
            ping = await cli.RunAsync(["ping", "-c", "1", "--until-direct=false",
                $"--timeout={(int)Math.Ceiling(wait.TotalSeconds)}s", target], cancellationToken, wait + TimeSpan.FromSeconds(5));
        }
        while (ping.ExitCode != 0 && clock.Elapsed + PollInterval < deadline && await Delay(cancellationToken));

        if (ping.ExitCode != 0)
        {
            var said = StatusFailures.FirstLine(ping.StandardError.Trim()) is { Length: > 0 } error ? error
                : StatusFailures.FirstLine(ping.StandardOutput.Trim());
            var reason = ping.TimedOut ? "timed out" : $"said \"{said}\"";
            throw new CheckFailedException(Failure.Of(FailureClass.PingNoReply,
                $"tailscale ping {reason} ({attempts} attempt(s) in {clock.Elapsed.TotalSeconds:0} s)"));
        }

        var (direct, path) = PathOf(ping.StandardOutput);
        return new PeerReport(status, peer, direct, path);
    }

    /// <summary>
    /// The path of the last pong (tailscale cmd/tailscale/cli/ping.go: "pong from NAME (IP) via VIA in LATENCY", where
    /// VIA is the peer's endpoint, <c>peer-relay(ip:port:vni:N)</c> or <c>DERP(region)</c>). Only an endpoint is direct.
    /// </summary>
    internal static (bool Direct, string Path) PathOf(string output)
    {
        var via = output.ReplaceLineEndings("\n").Split('\n')
            .Where(line => line.StartsWith("pong from ", StringComparison.Ordinal) && line.Contains(" via ", StringComparison.Ordinal))
            .Select(line => line[(line.LastIndexOf(" via ", StringComparison.Ordinal) + 5)..])
            .LastOrDefault() ?? string.Empty;
        return via switch
        {
            _ when via.StartsWith("DERP(", StringComparison.Ordinal) => (false, "relayed (DERP)"),
            _ when via.StartsWith("peer-relay(", StringComparison.Ordinal) => (false, "relayed (peer relay)"),
            _ when via.Length > 0 && char.IsAsciiDigit(via[0]) || via.StartsWith('[') => (true, "direct"),
            _ => (false, "not reported"),
        };
    }

    private static async Task<bool> Delay(CancellationToken cancellationToken)
    {
        await Task.Delay(PollInterval, cancellationToken);
        return true;
    }
}
