using Build.Gateway;
using Build.Settings;
using Build.Tailnet;
using Cake.Frosting;

namespace Build.Tasks;

[TaskDescription("Reaches the gateway's tailnet: reuses this machine's tailscale, or joins a rootless ephemeral tag:ci node (--tailnet=auto|reuse|join|off)")]
[IsDependentOn(typeof(Harden))]
public sealed class ConnectTailnet : VerificationTask
{
    protected override async Task<string> CheckAsync(BuildContext context)
    {
        var settings = context.Run.Settings;
        var host = settings.GatewayUrl.Host;
        var mode = settings.Tailnet.Mode;
        var token = context.State.Cancellation.Token;
        if (mode == TailnetMode.Auto)
        {
            if (settings.GatewayUrl.IsLoopback || !TailnetAddresses.IsTailnetHost(settings.GatewayUrl))
            {
                // Nothing to check here: not a pass, so a run of ConnectTailnet alone checked nothing.
                throw new CheckSkippedException(settings.GatewayUrl.IsLoopback ? "not needed: the gateway is on loopback" : "not needed: the gateway is " +
                    "not a *.ts.net or 100.x address");
            }

            mode = await LocalTailscaleRunsAsync(token) ? TailnetMode.Reuse
                : settings.Tailnet.Credential != JoinCredential.None ? TailnetMode.Join
                : throw new CheckFailedException(Failure.Of(FailureClass.TailnetNoCredentials));
        }

        switch (mode)
        {
            case TailnetMode.Off:
                throw new CheckSkippedException($"--{ArgumentNames.Tailnet}=off");
            case TailnetMode.Reuse:
                var program = TailscaleCli.Find("tailscale") ?? throw new CheckFailedException(Failure.Of(FailureClass.TailscaleNotFound));
                var cli = new TailscaleCli(program, socket: null);
                var report = await PeerCheck.RunAsync(cli, host, settings.Deadline, context.Run.RegisterSecret, token);
                context.State.Tailnet = new TailnetSession(TailnetMode.Reuse, cli, null, report);
                context.OpenGateway();
                return Describe($"reused this machine's tailscale ({TailnetName(context, report)})", report);
            default:
                if (OperatingSystem.IsWindows())
                {
                    throw new CheckFailedException(Failure.Of(FailureClass.JoinUnsupported));
                }

                var session = await new TailnetJoin(context).RunAsync(token);
                context.State.Tailnet = session;
                context.OpenGateway(); // through the session's proxy
                return Describe($"joined {TailnetName(context, session.Report)} as an ephemeral " +
                    $"{settings.Tailnet.Tags} node (rootless, userspace)", session.Report);
        }
    }

    private static async Task<bool> LocalTailscaleRunsAsync(CancellationToken cancellationToken)
    {
        if (TailscaleCli.Find("tailscale") is not { } program)
        {
            return false;
        }

        try
        {
            return (await new TailscaleCli(program, socket: null).StatusAsync(cancellationToken)).Running;
        }
        catch (CheckFailedException)
        {
            return false;
        }
    }

    /// <summary>The tailnet's name is shown on a laptop; in CI it is masked and withheld, like every other infrastructure name.</summary>
    private static string TailnetName(BuildContext context, PeerReport report)
    {
        if (report.Status.TailnetName is not { Length: > 0 } name)
        {
            return "tailnet name not reported";
        }

        if (context.Run.Settings.IsGitHubActions)
        {
            context.Run.RegisterSecret(name);
            return "tailnet name withheld in CI";
        }

        return $"tailnet {name}";
    }

    private static string Describe(string how, PeerReport report)
    {
        var tags = report.Status.SelfTags.Count > 0 ? string.Join(",", report.Status.SelfTags) : "no tags";
        return $"{how}; node tags {tags}; gateway node online, path {report.Path}";
    }
}
