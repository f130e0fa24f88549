using Build.Core;
using Build.Gateway;
using Build.Reporting;
using Build.Security;
using Build.Settings;
using Build.Tailnet;
using Cake.Core;
using Cake.Core.Diagnostics;
using Cake.Frosting;

namespace Build;

/// <summary>The typed context, built once from arguments and environment before anything is printed.</summary>
public sealed class BuildContext : FrostingContext, IPublishedRun, ITailnetRun
{
    private GatewayClient? _gateway;

    public BuildContext(ICakeContext context, Redactor redactor)
        : base(context)
    {
        Redactor = redactor;
        var source = new CakeSettingsSource(context.Arguments, context.Environment);
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

        foreach (var secret in RawInfrastructureNames(source).Concat(Settings.InfrastructureNames).Distinct())
        {
            RegisterSecret(secret);
        }
    }

    public VerifySettings Settings { get; }

    public IReadOnlyList<string> SettingsProblems { get; }

    public Redactor Redactor { get; }

    public ICiHost Commands { get; }

    public EgressPolicy EgressPolicy { get; }

    public TaskResults Results { get; } = new();

    public RunFacts Facts { get; } = new();

    public CancellationTokenSource Cancellation { get; } = new();

    public DateTimeOffset Started { get; } = DateTimeOffset.UtcNow;

    /// <summary>The task the run was asked for: a check that is the target itself fails the run at once.</summary>
    public string Target { get; set; } = "Verify";

    public bool ReportPublished { get; set; }

    /// <summary>The run's one verdict, once the last task has ended (see <see cref="Conclude"/>).</summary>
    public RunVerdict? Verdict { get; private set; }

    /// <summary>Computes the verdict from the task results the first time it is asked for; every output reads this one.</summary>
    public RunVerdict Conclude() => Verdict ??= RunVerdict.From(Results);

    /// <summary>The verdict of a run stopped by its settings.</summary>
    public RunVerdict FailOnSettings(int problems) => Verdict = RunVerdict.Settings(problems);

    /// <summary>Where the report goes even when other settings are malformed: the path given, if it reads as one, else the default.</summary>
    public string? SettingsReportPath { get; }

    /// <summary>The targets asked for run no check (--exclusive on an aggregate): refused, and reported as such.</summary>
    public bool NoCheckRequested { get; set; }

    /// <summary>Set by ConnectTailnet; the gateway's traffic then goes through its proxy, if it has one.</summary>
    public TailnetSession? Tailnet { get; set; }

    public GatewayClient Gateway => _gateway ??= new GatewayClient(Settings, EgressPolicy, Tailnet?.Proxy, retryNameResolution: Tailnet is not null);

    /// <summary>A key or token: redacted whole, encoded, abbreviated and in fragments; masked on GitHub Actions before any use.</summary>
    public void RegisterKey(string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            Redactor.AddKey(value);
            Commands.AddMask(value);
        }
    }

    /// <summary>A value learned at run time (an address, a name): redacted and, on GitHub Actions, masked before any use.</summary>
    public void RegisterSecret(string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            Redactor.Add(value);
            Commands.AddMask(value);
        }
    }

    /// <summary>Any other HTTP client the build needs (downloads, tokens): through the egress policy, no redirects, bounded.</summary>
    public HttpClient CreateHttpClient()
    {
        var sockets = new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, ConnectTimeout = TimeSpan.FromSeconds(15) };
        return new HttpClient(new EgressHandler(EgressPolicy, sockets)) { Timeout = TimeSpan.FromMinutes(2) };
    }

    /// <summary>Ends the tailnet session, once, and records what happened for the summary.</summary>
    void ITailnetRun.Note(string message) => Facts.Notes.Add(message);

    public void DisconnectTailnet()
    {
        if (Tailnet is { Disconnected: false } session)
        {
            var outcome = session.DisconnectAsync(CancellationToken.None).GetAwaiter().GetResult();
            Facts.Notes.Add($"tailnet: {outcome}");
            Info($"Tailnet: {outcome}");
        }
    }

    // Cake's log redacts (see RedactingLog); "{0}" keeps braces in gateway messages from being read as a format.
    public void Info(string message) => Log.Write(Verbosity.Normal, LogLevel.Information, "{0}", message);

    public void Warn(string message) => Log.Write(Verbosity.Minimal, LogLevel.Warning, "{0}", message);

    public void Error(string message) => Log.Write(Verbosity.Quiet, LogLevel.Error, "{0}", message);

    /// <summary>What TLS verification amounted to in this run, for the report.</summary>
    public string TlsVerification =>
        (_gateway?.RequestsSent ?? 0) == 0 ? "no request"
        : Settings.GatewayUrl.Scheme == Uri.UriSchemeHttp ? "not used (http)"
        : Settings.Insecure ? "skipped (--insecure)"
        : "verified";

    public void DisposeClients()
    {
        _gateway?.Dispose();
        _gateway = null;
    }

    /// <summary>Keys as given, even when malformed (a pasted newline, a wrong prefix).</summary>
    private static IEnumerable<string> RawKeys(ISettingsSource source) =>
        new[] { EnvironmentNames.LiteLlmApiKey, EnvironmentNames.TsOAuthSecret, EnvironmentNames.TsAuthKey }
            .Select(name => source.Environment(name)?.Trim())
            .OfType<string>()
            .Where(value => value.Length > 0);

    /// <summary>Infrastructure values as given, even when malformed: a bad URL still names a private host.</summary>
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

    /// <summary>Defaults only, so that --tree and --help work even when settings are malformed.</summary>
    private sealed class FallbackSource : ISettingsSource
    {
        public IReadOnlyCollection<string> ArgumentNames => [];

        public string? Argument(string name) => null;

        public string? Environment(string name) => null;
    }
}
