using System.Net;
using Build.Settings;

namespace Build.Tailnet;

/// <summary>How this run reaches the tailnet, and the cleanup owed at the end whatever happened.</summary>
public sealed class TailnetSession(TailnetMode mode, TailscaleCli cli, TailscaleDaemon? daemon, PeerReport report)
{
    // The CLI's logout found no tailscaled (a terminal's Ctrl-C stopped it too), and its log says it logged the node out.
    private const string LoggedOutByDaemon = "tailscaled logged the ephemeral node out as it stopped (its log says so)";

    public TailnetMode Mode => mode;

    public PeerReport Report => report;

    /// <summary>The SOCKS5 proxy of this run's own node; null when reusing the machine's tailscale.</summary>
    public IWebProxy? Proxy => daemon?.Proxy;

    public bool Disconnected { get; private set; }

    /// <summary>Logs the ephemeral node out (removing it at once), stops tailscaled, deletes its folder. Idempotent.</summary>
    public async Task<string> DisconnectAsync(CancellationToken cancellationToken)
    {
        if (Disconnected || daemon is null)
        {
            Disconnected = true;
            return mode == TailnetMode.Reuse ? "this machine's tailscale left as it was" : "nothing to clean up";
        }

        Disconnected = true;
        return await LogOutAndStopAsync(cli, daemon, cancellationToken);
    }

    public static async Task<string> LogOutAndStopAsync(TailscaleCli cli, TailscaleDaemon daemon, CancellationToken cancellationToken)
    {
        string outcome;
        try
        {
            var logout = await cli.RunAsync(["logout"], cancellationToken, TimeSpan.FromSeconds(15));
            outcome = logout.ExitCode == 0 ? "ephemeral node logged out and removed"
                : await daemon.StopLoggingOutAsync() ? LoggedOutByDaemon
                : $"logout failed (exit {logout.ExitCode}); the ephemeral node expires on its own";
        }
        catch (OperationCanceledException)
        {
            outcome = await daemon.StopLoggingOutAsync() ? LoggedOutByDaemon
                : "logout interrupted; the ephemeral node expires on its own (state was in memory)";
        }
        finally
        {
            daemon.Dispose();
        }

        return outcome + "; tailscaled stopped, its folder deleted";
    }
}
