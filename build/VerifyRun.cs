using Build.Core;
using Build.Security;
using Build.Settings;

namespace Build;

/// <summary>
/// What a run is, settled from the arguments and environment before anything is printed and never changed after: the
/// settings (and their problems), the redactor with every mask registered, the CI host, the egress policy, the start.
/// </summary>
public sealed class VerifyRun
{
    public VerifyRun(ISettingsSource source, Redactor redactor)
    {
        Redactor = redactor;
        var (settings, problems) = SettingsReader.Read(source);
        SettingsProblems = problems;
        SettingsReportPath = settings?.ReportPath ?? SettingsReader.ReportPathOrNull(source);
        Settings = settings ?? SettingsReader.Read(new FallbackSource()).Settings!;
        Commands = new WorkflowCommands(Settings.IsGitHubActions, Console.Out, redactor.Redact);
        EgressPolicy = new EgressPolicy(Settings.Egress);

        // Masks first: GitHub masks only what is printed after its ::add-mask::.
        foreach (var key in RawKeys(source).Concat(Settings.Keys).Distinct())
        {
            RegisterKey(key);
        }

        foreach (var name in RawInfrastructureNames(source).Concat(Settings.InfrastructureNames).Distinct())
        {
            RegisterSecret(name);
        }
    }

    public VerifySettings Settings { get; }

    public IReadOnlyList<string> SettingsProblems { get; }

    /// <summary>Where a report of a settings failure goes: the --report given, if it could be read, else the default.</summary>
    public string? SettingsReportPath { get; }

    public Redactor Redactor { get; }

    public ICiHost Commands { get; }

    public EgressPolicy EgressPolicy { get; }

    public DateTimeOffset Started { get; } = DateTimeOffset.UtcNow;

    /// <summary>A key or credential: redacted in every form (fragments included) and masked on CI.</summary>
    public void RegisterKey(string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            Redactor.AddKey(value);
            Commands.AddMask(value);
        }
    }

    /// <summary>A private name or address: redacted where it appears whole and masked on CI.</summary>
    public void RegisterSecret(string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            Redactor.Add(value);
            Commands.AddMask(value);
        }
    }

    /// <summary>An HTTP client held to the egress policy (no redirects, no cookies).</summary>
    public HttpClient CreateHttpClient()
    {
        var sockets = new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, ConnectTimeout = TimeSpan.FromSeconds(15) };
        return new HttpClient(new EgressHandler(EgressPolicy, sockets)) { Timeout = TimeSpan.FromMinutes(2) };
    }

    private static IEnumerable<string> RawKeys(ISettingsSource source) =>
        new[] { EnvironmentNames.LiteLlmApiKey, EnvironmentNames.TsOAuthSecret, EnvironmentNames.TsAuthKey }
            .Select(name => source.Environment(name)?.Trim())
            .OfType<string>()
            .Where(value => value.Length > 0);

    internal static IEnumerable<string> RawInfrastructureNames(ISettingsSource source)
    {
        // Both places a URL can come from (the option wins, GatewayUrlReader): either may name a private host.
        var urls = new[] { source.Argument(ArgumentNames.LiteLlmUrl), source.Environment(EnvironmentNames.LiteLlmUrl) };
        var host = source.Environment(EnvironmentNames.LiteLlmHost);
        var port = source.Environment(EnvironmentNames.LiteLlmPort);
        foreach (var value in urls.SelectMany(url => new[] { url?.Trim(), url?.Trim().TrimEnd('/') }).Append(host?.Trim()))
        {
            if (!string.IsNullOrEmpty(value))
            {
                yield return value;
            }
        }

        if (!string.IsNullOrWhiteSpace(host) && !string.IsNullOrWhiteSpace(port))
        {
            yield return $"{host.Trim()}:{port.Trim()}";
        }
    }

    private sealed class FallbackSource : ISettingsSource
    {
        public IReadOnlyCollection<string> ArgumentNames => [];

        public string? Argument(string name) => null;

        public string? Environment(string name) => null;
    }
}
