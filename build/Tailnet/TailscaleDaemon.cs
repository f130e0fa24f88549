using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Build.Gateway;

namespace Build.Tailnet;

/// <summary>
/// This run's own tailscaled: userspace networking (no TUN, no sudo, host DNS untouched), state in
/// memory (an ephemeral node), a private socket, and a SOCKS5 proxy on loopback for the gateway's traffic.
/// </summary>
public sealed class TailscaleDaemon : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);

    // tailscaled gives an ephemeral node's logout on shutdown 5 s (ipn/ipnlocal/local.go, LocalBackend.Shutdown, v1.102.3).
    private static readonly TimeSpan ShutdownGrace = TimeSpan.FromSeconds(6);
    private const string LogName = "tailscaled.log";
    private readonly Process _process;

    private TailscaleDaemon(Process process, string directory, string socket, int socksPort)
    {
        _process = process;
        Directory = directory;
        Socket = socket;
        SocksPort = socksPort;
    }

    /// <summary>Private folder (0700) holding the socket, the log and, briefly, key files.</summary>
    public string Directory { get; }

    public string Socket { get; }

    public int SocksPort { get; }

    private string LogPath => Path.Combine(Directory, LogName);

    public IWebProxy Proxy => new WebProxy(new Uri($"socks5://127.0.0.1:{SocksPort}"));

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public static async Task<TailscaleDaemon> StartAsync(string tailscaled, string tailscale, string tempRoot, CancellationToken cancellationToken)
    {
        var directory = Path.Combine(tempRoot, $"ts-verify-{Guid.NewGuid():N}"[..20]);
        System.IO.Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var socket = Path.Combine(directory, "tailscaled.sock");
        var port = FreePort();
        var process = ProcessRun.Start(
            tailscaled,
            ["--tun=userspace-networking", "--state=mem:", $"--socket={socket}", $"--socks5-server=127.0.0.1:{port}", "--no-logs-no-support"],
            Path.Combine(directory, LogName));
        var daemon = new TailscaleDaemon(process, directory, socket, port);

        var cli = new TailscaleCli(tailscale, socket);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                // Read before Dispose, which disposes the process object too.
                var code = process.ExitCode;
                daemon.Dispose();
                throw new CheckFailedException(Failure.Of(FailureClass.TailscaleFailed, $"tailscaled exited at start (code {code})"));
            }

            // tailscaled makes its socket when it starts listening (cmd/tailscaled/tailscaled.go, startIPNServer, and
            // safesocket/unixsocket.go, listen: net.Listen("unix", path), v1.102.3), in this run's own empty folder:
            // until the file is there the CLI can only fail to connect, so it is asked once the file is there.
            var listening = File.Exists(socket);
            if (listening)
            {
                var status = await cli.RunAsync(["status", "--json"], cancellationToken, TimeSpan.FromSeconds(5));
                if (TailscaleStatus.Parse(status.StandardOutput) is not null)
                {
                    return daemon;
                }
            }

            if (clock.Elapsed > StartTimeout)
            {
                daemon.Dispose();
                throw new CheckFailedException(Failure.Of(FailureClass.TailscaleFailed, $"tailscaled did not answer within {StartTimeout.TotalSeconds:0} s"));
            }

            await Task.Delay(listening ? 250 : 25, cancellationToken);
        }
    }

    /// <summary>Writes a secret to a 0600 file in the private folder, for <c>--auth-key=file:</c> / <c>--id-token=file:</c>.</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public string WriteSecretFile(string name, string content)
    {
        var path = Path.Combine(Directory, name);
        using (var stream = new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite }))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(content);
        }

        return path;
    }

    /// <summary>
    /// Stops tailscaled as a service manager does (SIGTERM) and waits for it: started with <c>--state=mem:</c>, it logs its
    /// ephemeral node out on the way down. A terminal's Ctrl-C reaches it as well as this program, and then it is already
    /// stopping, its socket gone, when the CLI's logout comes. True when its log records that logout.
    /// </summary>
    public async Task<bool> StopLoggingOutAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                var pid = _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
                using var signal = Process.Start(new ProcessStartInfo("kill", ["-TERM", pid]) { UseShellExecute = false });
                using var signalled = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await signal!.WaitForExitAsync(signalled.Token);
            }

            // Once it has exited, this also waits for the last lines of its output to reach the log.
            using var grace = new CancellationTokenSource(ShutdownGrace);
            await _process.WaitForExitAsync(grace.Token);
        }
        catch (Exception exception) when (exception is OperationCanceledException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return false;
        }

        // "logged out ephemeral node on shutdown"; a failure reads "failed to log out ephemeral node on shutdown after …".
        return File.Exists(LogPath) && File.ReadLines(LogPath).Any(line => line.EndsWith("logged out ephemeral node on shutdown", StringComparison.Ordinal));
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.Dispose();
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
