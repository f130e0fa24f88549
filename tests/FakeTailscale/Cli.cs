using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace FakeTailscale;

/// <summary>The tailscale CLI's answers: status --json, up, ping, logout; errors as the real CLI words them.</summary>
public static class Cli
{
    public static Task<int> RunAsync(FakeState state, string[] args)
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
            Console.Error.WriteLine("failed to connect to local tailscaled; it doesn't appear to be running (sudo systemctl start tailscaled ?)");
            return Task.FromResult(1);
        }

        return Task.FromResult(rest switch
        {
            ["status", "--json"] => Status(state),
            ["up", .. var flags] => Up(state, flags),
            ["ping", .. var flags] => Ping(state, flags),
            ["logout"] => Logout(state),
            _ => Unknown(rest),
        });
    }

    private static int Status(FakeState state)
    {
        var peers = new JsonObject();
        if (!state.Has("no-peer"))
        {
            peers["nodekey:0a1b2c"] = new JsonObject
            {
                ["HostName"] = "litellm",
                ["DNSName"] = "litellm.tail1234.ts.net.",
                ["TailscaleIPs"] = new JsonArray("100.101.102.103", "fd7a:115c:a1e0::1"),
                ["Tags"] = new JsonArray("tag:llm"),
                ["Online"] = !state.Has("peer-offline"),
                ["Relay"] = "nyc",
                ["CurAddr"] = string.Empty,
            };
        }

        var tags = state.Tags.Length > 0 ? new JsonArray(state.Tags.Split(',').Select(tag => (JsonNode)tag).ToArray()) : null;
        var status = new JsonObject
        {
            ["Version"] = "1.94.2-fake",
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
            ["CurrentTailnet"] = new JsonObject { ["Name"] = "example.org", ["MagicDNSSuffix"] = "tail1234.ts.net", ["MagicDNSEnabled"] = true },
            ["Health"] = new JsonArray(),
        };
        Console.WriteLine(status.ToJsonString());
        return 0;
    }

    private static int Up(FakeState state, string[] flags)
    {
        string? Error() =>
            state.Has("bad-tags") ? "backend error: requested tags [tag:ci] are invalid or not permitted"
            : state.Has("forbidden") ? "backend error: received unexpected status code 403: calling actor does not have enough permissions to perform this function"
            : state.Has("invalid-key") ? "backend error: invalid key: unable to validate API key"
            : state.Has("up-timeout") ? "timeout waiting for Tailscale service to enter a Running state; check health with \"tailscale status\""
            : null;

        if (Error() is { } error)
        {
            Console.Error.WriteLine(error);
            return 1;
        }

        state.Tags = flags.FirstOrDefault(flag => flag.StartsWith("--advertise-tags=", StringComparison.Ordinal))?["--advertise-tags=".Length..] ?? string.Empty;
        state.Backend = "Running";
        return 0;
    }

    private static int Ping(FakeState state, string[] flags)
    {
        if (state.Has("no-ping"))
        {
            Console.WriteLine("ping \"100.101.102.103\" timed out");
            Console.Error.WriteLine("no reply");
            return 1;
        }

        Console.WriteLine(state.Has("direct")
            ? "pong from litellm (100.101.102.103) via 203.0.113.7:41641 in 4ms"
            : "pong from litellm (100.101.102.103) via DERP(nyc) in 23ms");
        return 0;
    }

    private static int Logout(FakeState state)
    {
        state.Backend = "NeedsLogin";
        return 0;
    }

    private static int Unknown(string[] rest)
    {
        Console.Error.WriteLine($"fake tailscale: unknown command {string.Join(' ', rest)}");
        return 2;
    }
}
