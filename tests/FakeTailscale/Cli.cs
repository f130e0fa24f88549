using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace FakeTailscale;

/// <summary>The tailscale CLI's answers: status --json, up, ping, logout; errors as the real CLI words them.</summary>
public static class Cli
{
    public const string MagicDnsSuffix = "tail1234.ts.net";
    public const string GatewayShortName = "litellm";
    public const string GatewayDnsName = GatewayShortName + "." + MagicDnsSuffix + ".";
    public static readonly string[] GatewayAddresses = ["100.101.102.103", "fd7a:115c:a1e0::1"];

    /// <summary>One call: its arguments, what it prints (stdout, stderr) and its exit code.</summary>
    public static int Run(FakeState state, string[] args, TextWriter stdout, TextWriter stderr)
    {
        var socket = args.FirstOrDefault(arg => arg.StartsWith("--socket=", StringComparison.Ordinal))?["--socket=".Length..];
        var rest = args.Where(arg => !arg.StartsWith("--socket=", StringComparison.Ordinal)).ToArray();
        var extra = new JsonObject();
        foreach (var arg in rest.Where(arg => arg.Contains("=file:", StringComparison.Ordinal)))
        {
            var (flag, path) = (arg[..arg.IndexOf('=')], arg[(arg.IndexOf("=file:", StringComparison.Ordinal) + 6)..]);
            extra[$"{flag.TrimStart('-')}File"] = path;
            if (File.Exists(path) && !OperatingSystem.IsWindows())
            {
                extra[$"{flag.TrimStart('-')}Sha256"] = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));
                extra[$"{flag.TrimStart('-')}Mode"] = Convert.ToString((int)File.GetUnixFileMode(path), 8);
            }
        }

        state.Log("tailscale", args, extra);
        var running = socket is null ? !state.Has("not-running") : File.Exists(socket);
        if (!running)
        {
            stderr.WriteLine("failed to connect to local tailscaled; it doesn't appear to be running (sudo systemctl start tailscaled ?)");
            return 1;
        }

        return rest switch
        {
            ["status", "--json"] => Status(state, stdout),
            ["up", .. var flags] => Up(state, flags, stderr),
            ["ping", .. var flags] => Ping(state, flags, stdout, stderr),
            ["logout"] => Logout(state, stderr),
            _ => Unknown(rest, stderr),
        };
    }

    private static int Status(FakeState state, TextWriter stdout)
    {
        var peers = new JsonObject();
        if (!state.Has("no-peer"))
        {
            peers["nodekey:0a1b2c"] = new JsonObject
            {
                ["HostName"] = "litellm",
                ["DNSName"] = GatewayDnsName,
                ["TailscaleIPs"] = new JsonArray(GatewayAddresses.Select(address => (JsonNode)address).ToArray()),
                ["Tags"] = new JsonArray("tag:llm"),
                ["Online"] = !state.Has("peer-offline"),
                ["Relay"] = "nyc",
                ["CurAddr"] = string.Empty,
            };
        }

        var tags = state.Tags.Length > 0 ? new JsonArray(state.Tags.Split(',').Select(tag => (JsonNode)tag).ToArray()) : null;
        var status = new JsonObject
        {
            ["Version"] = "1.102.3-fake",
            ["BackendState"] = state.Backend,
            ["Self"] = new JsonObject
            {
                ["HostName"] = "runner",
                ["DNSName"] = "runner.tail1234.ts.net.",
                ["Tags"] = tags,
                ["TailscaleIPs"] = new JsonArray("100.64.0.5"),
                ["Online"] = true,
            },
            ["Peer"] = peers,
            // ipn/ipnstate/ipnstate.go: the legacy top-level MagicDNSSuffix, which ping's name matching reads.
            ["MagicDNSSuffix"] = MagicDnsSuffix,
            ["CurrentTailnet"] = new JsonObject { ["Name"] = "example.org", ["MagicDNSSuffix"] = MagicDnsSuffix, ["MagicDNSEnabled"] = true },
            ["Health"] = new JsonArray(),
        };
        stdout.WriteLine(status.ToJsonString());
        return 0;
    }

    private static int Up(FakeState state, string[] flags, TextWriter stderr)
    {
        string? Error() =>
            state.Has("bad-tags") ? "backend error: requested tags [tag:ci] are invalid or not permitted"
            : state.Has("forbidden") ? "backend error: received unexpected status code 403: calling actor does not have enough permissions to perform this function"
            : state.Has("invalid-key") ? "backend error: invalid key: unable to validate API key"
            : state.Has("up-timeout") ? "timeout waiting for Tailscale service to enter a Running state; check health with \"tailscale status\""
            : null;

        if (Error() is { } error)
        {
            stderr.WriteLine(error);
            return 1;
        }

        // tailscale 1.102 cmd/tailscale/cli/up.go: a tag without ":" gets the "tag:" prefix before CheckTag.
        var advertised = flags.FirstOrDefault(flag => flag.StartsWith("--advertise-tags=", StringComparison.Ordinal))?["--advertise-tags=".Length..] ?? string.Empty;
        state.Tags = string.Join(',', advertised.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(tag => tag.Contains(':') ? tag : $"tag:{tag}"));
        state.Backend = "Running";
        return 0;
    }

    /// <summary>
    /// tailscale 1.94.2 <c>cmd/tailscale/cli/ping.go</c> (runPing, tailscaleIPFromArg): not running
    /// prints the state and exits 1; the target is an IP as is, else a peer whose short MagicDNS
    /// name (<c>dnsOrQuoteHostname</c> in status.go) matches case-insensitively or whose DNSName
    /// (with its trailing dot) matches exactly, else the host's resolver, which in userspace mode
    /// knows no MagicDNS name. Errors go to stderr with exit 1 (cmd/tailscale/tailscale.go).
    /// </summary>
    private static int Ping(FakeState state, string[] flags, TextWriter stdout, TextWriter stderr)
    {
        if (state.Backend is not ("Running" or "Starting"))
        {
            stdout.WriteLine(state.Backend switch
            {
                "NeedsLogin" => "Logged out.",
                "Stopped" => "Tailscale is stopped.",
                "NeedsMachineAuth" => "Machine is not yet approved by tailnet admin.",
                var other => $"unexpected state: {other}",
            });
            return 1;
        }

        var targets = Positional(flags, valued: ["c", "timeout", "size"]);
        if (targets.Length != 1 || targets[0].Length == 0)
        {
            stderr.WriteLine("usage: tailscale ping <hostname-or-IP>");
            return 1;
        }

        var target = targets[0];
        string ip;
        if (System.Net.IPAddress.TryParse(target, out _))
        {
            ip = target;
        }
        else if (!state.Has("no-peer") && (string.Equals(target, GatewayShortName, StringComparison.OrdinalIgnoreCase) || target == GatewayDnsName))
        {
            ip = GatewayAddresses[0];
        }
        else
        {
            stderr.WriteLine($"error looking up IP of \"{target}\": lookup {target}: no such host");
            return 1;
        }

        // An address that is no peer of this node never answers: each try times out.
        if (state.Has("no-ping") || state.Has("no-peer") || !GatewayAddresses.Contains(ip))
        {
            stdout.WriteLine($"ping \"{ip}\" timed out");
            stderr.WriteLine("no reply");
            return 1;
        }

        // cmd/tailscale/cli/ping.go: "via" is the endpoint, peer-relay(<relay>) since peer relays, or DERP(<region>).
        stdout.WriteLine(state.Has("direct")
            ? $"pong from {GatewayShortName} ({ip}) via 203.0.113.7:41641 in 4ms"
            : state.Has("peer-relay")
                ? $"pong from {GatewayShortName} ({ip}) via peer-relay(198.51.100.167:7777:vni:7) in 35ms"
                : $"pong from {GatewayShortName} ({ip}) via DERP(nyc) in 23ms");
        return 0;
    }

    /// <summary>Go's flag package: flags first (a valued one without '=' takes the next argument), and parsing stops at the first non-flag.</summary>
    private static string[] Positional(string[] flags, string[] valued)
    {
        var index = 0;
        while (index < flags.Length && flags[index].StartsWith('-') && flags[index] != "-")
        {
            var name = flags[index].TrimStart('-');
            index += !name.Contains('=') && valued.Contains(name) ? 2 : 1;
        }

        return flags[Math.Min(index, flags.Length)..];
    }

    private static int Logout(FakeState state, TextWriter stderr)
    {
        // The CLI prints the LocalAPI's error (client/local/local.go, Logout): here, control out of reach.
        if (state.Has("control-unreachable"))
        {
            stderr.WriteLine("context deadline exceeded");
            return 1;
        }

        state.Backend = "NeedsLogin";
        return 0;
    }

    private static int Unknown(string[] rest, TextWriter stderr)
    {
        stderr.WriteLine($"fake tailscale: unknown command {string.Join(' ', rest)}");
        return 2;
    }
}
