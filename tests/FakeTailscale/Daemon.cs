using System.Net;
using System.Net.Sockets;

namespace FakeTailscale;

/// <summary>tailscaled in userspace mode: a socket file for the CLI and a SOCKS5 proxy on loopback.</summary>
public static class Daemon
{
    public static async Task<int> RunAsync(FakeState state, string[] args)
    {
        state.Log("tailscaled", args);
        if (state.Has("daemon-crash"))
        {
            Console.Error.WriteLine("tailscaled: fake crash at start");
            return 1;
        }

        var socket = Flag(args, "--socket") ?? throw new InvalidOperationException("no --socket");
        var socks = Flag(args, "--socks5-server") ?? throw new InvalidOperationException("no --socks5-server");
        var endpoint = IPEndPoint.Parse(socks);
        state.Backend = "NeedsLogin";
        File.WriteAllText(socket, "fake tailscaled socket");

        var listener = new TcpListener(endpoint);
        listener.Start();
        using var stop = new CancellationTokenSource();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.Cancel();
        var hosts = (Environment.GetEnvironmentVariable("FAKE_TS_HOSTS") ?? string.Empty)
            .Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => IPAddress.Parse(pair[1]), StringComparer.OrdinalIgnoreCase);
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var client = await listener.AcceptTcpClientAsync(stop.Token);
                _ = Socks5.ServeAsync(client, hosts, stop.Token);
            }
        }
        catch (OperationCanceledException)
        {
        }

        return 0;
    }

    private static string? Flag(string[] args, string name) =>
        args.FirstOrDefault(arg => arg.StartsWith(name + "=", StringComparison.Ordinal))?[(name.Length + 1)..];
}
