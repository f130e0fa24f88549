using System.Text.RegularExpressions;
using Build.Gateway;
using Build.Security;
using Build.Settings;
using Newtonsoft.Json.Linq;

namespace Build.Tailnet;

/// <summary>
/// Brings up this run's private node: rootless tailscaled, credentials through 0600 files that are
/// deleted as soon as <c>tailscale up</c> returns, tags advertised, then the gateway's peer checked.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed partial class TailnetJoin(ITailnetRun context)
{
    private readonly TailnetSettings _settings = context.Settings.Tailnet;

    public async Task<TailnetSession> RunAsync(CancellationToken cancellationToken)
    {
        var (tailscale, tailscaled) = await LocateAsync(cancellationToken);
        var daemon = await TailscaleDaemon.StartAsync(tailscaled, tailscale, TempRoot(), cancellationToken);
        try
        {
            var cli = new TailscaleCli(tailscale, daemon.Socket);
            await UpAsync(cli, daemon, cancellationToken);
            var report = await PeerCheck.RunAsync(cli, context.Settings.GatewayUrl.Host, context.Settings.Deadline, context.RegisterSecret, cancellationToken);
            return new TailnetSession(TailnetMode.Join, cli, daemon, report);
        }
        catch
        {
            // Nothing of a half-joined node is left behind.
            var outcome = await TailnetSession.LogOutAndStopAsync(new TailscaleCli(tailscale, daemon.Socket), daemon, CancellationToken.None);
            context.Note($"tailnet: {outcome}");
            throw;
        }
    }

    private async Task<(string Tailscale, string Tailscaled)> LocateAsync(CancellationToken cancellationToken)
    {
        if (TailscaleCli.Find("tailscale") is { } onPath && TailscaleCli.Find("tailscaled") is { } daemonOnPath)
        {
            return (onPath, daemonOnPath);
        }

        context.EgressPolicy.Allow(_settings.Packages);
        using var http = context.CreateHttpClient();
        var installer = new TailscaleInstaller(new PackageSite(http, _settings.Packages, context.EgressPolicy), _settings, CacheRoot());
        var directory = await installer.EnsureAsync(cancellationToken);
        var latest = _settings.Version == TailnetSettings.LatestVersion ? " (latest stable, from the site's index)" : string.Empty;
        context.Info($"Tailscale {installer.Version}{latest} from the packages site (Tailscale's signature and SHA-256 verified)");
        return (Path.Combine(directory, "tailscale"), Path.Combine(directory, "tailscaled"));
    }

    private async Task UpAsync(TailscaleCli cli, TailscaleDaemon daemon, CancellationToken cancellationToken)
    {
        var timeout = (int)Math.Ceiling(context.Settings.Deadline.TotalSeconds);
        var arguments = new List<string> { "up", $"--advertise-tags={_settings.Tags}", $"--hostname={NodeName()}", $"--timeout={timeout}s" };
        var files = new List<string>();
        switch (_settings.Credential)
        {
            case JoinCredential.OAuthSecret:
                files.Add(daemon.WriteSecretFile("authkey", $"{_settings.OAuthSecret}?ephemeral=true&preauthorized=true"));
                arguments.Add($"--auth-key=file:{files[^1]}");
                break;
            case JoinCredential.WorkloadIdentity:
                var token = await OidcTokenAsync(cancellationToken);
                files.Add(daemon.WriteSecretFile("id-token", token));
                arguments.Add($"--client-id={_settings.OAuthClientId}?ephemeral=true&preauthorized=true");
                arguments.Add($"--id-token=file:{files[^1]}");
                break;
            case JoinCredential.AuthKey:
                files.Add(daemon.WriteSecretFile("authkey", _settings.AuthKey!));
                arguments.Add($"--auth-key=file:{files[^1]}");
                break;
            default:
                throw new CheckFailedException(Failure.Of(FailureClass.TailnetNoCredentials));
        }

        ProcessResult up;
        try
        {
            up = await cli.RunAsync(arguments, cancellationToken, context.Settings.Deadline + TimeSpan.FromSeconds(10));
        }
        finally
        {
            files.ForEach(File.Delete);
        }

        if (up.ExitCode != 0 || up.TimedOut)
        {
            throw new CheckFailedException(ClassifyUp(up));
        }
    }

    public static Failure ClassifyUp(ProcessResult up)
    {
        var output = up.Output;
        bool Says(string text) => output.Contains(text, StringComparison.OrdinalIgnoreCase);
        if (up.TimedOut || Says("timeout waiting for Tailscale service"))
        {
            return Failure.Of(FailureClass.TailnetUpTimeout);
        }

        if (Says("tags") && (Says("invalid or not permitted") || Says("not permitted")))
        {
            return Failure.Of(FailureClass.TailnetTags, $"tailscale up: {FirstLine(output)}");
        }

        if (Says("403") || Says("forbidden") || Says("insufficient") || Says("scope"))
        {
            return Failure.Of(FailureClass.TailnetForbidden, $"tailscale up: {FirstLine(output)}");
        }

        if (Says("invalid key") || Says("expired") || Says("401") || Says("unauthorized") || Says("not valid"))
        {
            return Failure.Of(FailureClass.TailnetInvalidKey, $"tailscale up: {FirstLine(output)}");
        }

        return Failure.Of(FailureClass.TailscaleFailed, $"tailscale up exited {up.ExitCode}: {FirstLine(output)}");
    }

    /// <summary>A node name from the repository and run (GitHub) or the machine (laptop): lowercase, [a-z0-9-], at most 63.</summary>
    public static string NodeName(string? repository, string? runId, string? attempt, string machine)
    {
        var raw = repository is not null && runId is not null
            ? $"ci-{repository}-{runId}-{attempt ?? "1"}"
            : $"verify-{machine}-{Environment.ProcessId}";
        var name = NotAllowed().Replace(raw.ToLowerInvariant(), "-").Trim('-');
        name = Dashes().Replace(name, "-");
        return name.Length <= 63 ? name : name[..63].TrimEnd('-');
    }

    private string NodeName() => NodeName(
        context.Environment.GetEnvironmentVariable(EnvironmentNames.GitHubRepository),
        context.Environment.GetEnvironmentVariable(EnvironmentNames.GitHubRunId),
        context.Environment.GetEnvironmentVariable(EnvironmentNames.GitHubRunAttempt),
        Environment.MachineName);

    /// <summary>GitHub's OIDC token for workload identity federation (needs <c>permissions: id-token: write</c>).</summary>
    private async Task<string> OidcTokenAsync(CancellationToken cancellationToken)
    {
        var url = context.Environment.GetEnvironmentVariable(EnvironmentNames.OidcRequestUrl);
        var bearer = context.Environment.GetEnvironmentVariable(EnvironmentNames.OidcRequestToken);
        if (string.IsNullOrEmpty(url) || string.IsNullOrEmpty(bearer) || !Uri.TryCreate(url, UriKind.Absolute, out var endpoint))
        {
            throw new CheckFailedException(Failure.Of(FailureClass.OidcToken, "ACTIONS_ID_TOKEN_REQUEST_URL is not set"));
        }

        context.RegisterKey(bearer);
        context.EgressPolicy.Allow(endpoint);
        using var http = context.CreateHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{url}&audience={Uri.EscapeDataString(_settings.Audience!)}");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bearer);
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            var token = LenientJson.Text(LenientJson.Parse(await response.Content.ReadAsStringAsync(cancellationToken)), "value");
            if (!response.IsSuccessStatusCode || string.IsNullOrEmpty(token))
            {
                throw new CheckFailedException(Failure.Of(FailureClass.OidcToken, $"the token endpoint answered {(int)response.StatusCode}"));
            }

            context.RegisterKey(token);
            return token;
        }
        catch (HttpRequestException exception)
        {
            throw new CheckFailedException(Failure.Of(FailureClass.OidcToken, $"the token endpoint could not be reached ({exception.HttpRequestError})"));
        }
    }

    private string TempRoot() =>
        context.Environment.GetEnvironmentVariable(EnvironmentNames.RunnerTemp) is { Length: > 0 } runnerTemp && Directory.Exists(runnerTemp)
            ? runnerTemp
            : Path.GetTempPath();

    private string CacheRoot() =>
        context.Environment.GetEnvironmentVariable(EnvironmentNames.RunnerToolCache) is { Length: > 0 } toolCache
            ? toolCache
            : Path.Combine(Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg ? xdg
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache"), "litellm-verify");

    private static string FirstLine(string text) => StatusFailures.FirstLine(text.Trim());

    [GeneratedRegex("[^a-z0-9-]")]
    private static partial Regex NotAllowed();

    [GeneratedRegex("-{2,}")]
    private static partial Regex Dashes();
}
