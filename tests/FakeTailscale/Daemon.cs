using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

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

        // cmd/tailscaled/tailscaled.go (v1.102.3): SIGINT (a terminal's Ctrl-C reaches the whole process group) and
        // SIGTERM shut tailscaled down gracefully; SIGKILL leaves no chance, and its socket file stays.
        void ShutDown(PosixSignalContext context, string name)
        {
            context.Cancel = true;
            Console.Error.WriteLine($"{DateTime.Now:yyyy/MM/dd HH:mm:ss} tailscaled got signal {name}; shutting down");
            stop.Cancel();
        }

        using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => ShutDown(context, "interrupt"));
        using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => ShutDown(context, "terminated"));
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

        listener.Stop();

        // ipn/ipnserver/server.go (v1.102.3), Server.Run: the context's end (a signal) closes the LocalAPI listener
        // first, and Go's unix listener removes its socket file as it closes: from then on the CLI finds no tailscaled.
        // Only then does Run's deferred LocalBackend.Shutdown log the node out.
        File.Delete(socket);

        // ipn/ipnlocal/local.go, LocalBackend.Shutdown: with --state=mem: the node is ephemeral and is logged out on
        // the way down (Logout returns nil when there is no node key, so the line is the same then).
        if (args.Contains("--state=mem:") && state.Has("control-unreachable"))
        {
            Console.Error.WriteLine($"{DateTime.Now:yyyy/MM/dd HH:mm:ss} failed to log out ephemeral node on shutdown after 5s: context deadline exceeded");
        }
        else if (args.Contains("--state=mem:"))
        {
            state.Backend = "NeedsLogin";
            Console.Error.WriteLine($"{DateTime.Now:yyyy/MM/dd HH:mm:ss} logged out ephemeral node on shutdown");
        }

        return 0;
    }

    private static string? Flag(string[] args, string name) =>
        args.FirstOrDefault(arg => arg.StartsWith(name + "=", StringComparison.Ordinal))?[(name.Length + 1)..];
}
