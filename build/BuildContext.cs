using Build.Gateway;
using Build.Reporting;
using Build.Security;
using Build.Settings;
using Build.Tailnet;
using Cake.Core;
using Cake.Core.Diagnostics;
using Cake.Frosting;

namespace Build;

/// <summary>
/// The typed context: the run as settled before anything is printed (<see cref="Run"/>, immutable), what the run
/// learns as it goes (<see cref="State"/>), the gateway client, and the log.
/// </summary>
public sealed class BuildContext : FrostingContext, IPublishedRun, ITailnetRun
{
    private GatewayClient? _gateway;

    public BuildContext(ICakeContext context, Redactor redactor)
        : base(context)
    {
        Run = new VerifyRun(new CakeSettingsSource(context.Arguments, context.Environment), redactor);
    }

    public VerifyRun Run { get; }

    public RunState State { get; } = new();

    /// <summary>
    /// The gateway client, built once by <see cref="OpenGateway"/>: ConnectTailnet opens it when it has connected (its
    /// traffic then goes through the session's proxy, if it has one); a check rerun alone opens it without a tailnet.
    /// </summary>
    public GatewayClient Gateway => _gateway ?? OpenGateway();

    public GatewayClient OpenGateway() =>
        _gateway ??= new GatewayClient(Run.Settings.Gateway, Run.EgressPolicy, State.Tailnet?.Proxy, retryNameResolution: State.Tailnet is not null);

    /// <summary>What TLS verification amounted to in this run, for the report.</summary>
    public string TlsVerification =>
        (_gateway?.RequestsSent ?? 0) == 0 ? "no request"
        : Run.Settings.GatewayUrl.Scheme == Uri.UriSchemeHttp ? "not used (http)"
        : Run.Settings.Insecure ? "skipped (--insecure)"
        : "verified";

    /// <summary>Ends the tailnet session, once, and records what happened for the summary.</summary>
    public void DisconnectTailnet()
    {
        if (State.Tailnet is { Disconnected: false } session)
        {
            var outcome = session.DisconnectAsync(CancellationToken.None).GetAwaiter().GetResult();
            State.Facts.Notes.Add($"tailnet: {outcome}");
            Info($"Tailnet: {outcome}");
        }
    }

    public void DisposeClients()
    {
        _gateway?.Dispose();
        _gateway = null;
    }

    // Cake's log redacts (see RedactingLog); "{0}" keeps braces in gateway messages from being read as a format.
    public void Info(string message) => Log.Write(Verbosity.Normal, LogLevel.Information, "{0}", message);

    public void Warn(string message) => Log.Write(Verbosity.Minimal, LogLevel.Warning, "{0}", message);

    public void Error(string message) => Log.Write(Verbosity.Quiet, LogLevel.Error, "{0}", message);

    // What the publisher and the tailnet join see of the run (IPublishedRun, ITailnetRun): read through Run and State.
    VerifySettings IPublishedRun.Settings => Run.Settings;

    string? IPublishedRun.SettingsReportPath => Run.SettingsReportPath;

    string IPublishedRun.Target => State.Target;

    DateTimeOffset IPublishedRun.Started => Run.Started;

    TaskResults IPublishedRun.Results => State.Results;

    RunFacts IPublishedRun.Facts => State.Facts;

    EgressPolicy IPublishedRun.EgressPolicy => Run.EgressPolicy;

    Redactor IPublishedRun.Redactor => Run.Redactor;

    bool IPublishedRun.ReportPublished
    {
        get => State.ReportPublished;
        set => State.ReportPublished = value;
    }

    RunVerdict IPublishedRun.Conclude() => State.Conclude();

    RunVerdict IPublishedRun.FailOnSettings(int problems) => State.FailOnSettings(problems);

    VerifySettings ITailnetRun.Settings => Run.Settings;

    EgressPolicy ITailnetRun.EgressPolicy => Run.EgressPolicy;

    HttpClient ITailnetRun.CreateHttpClient() => Run.CreateHttpClient();

    void ITailnetRun.RegisterKey(string? value) => Run.RegisterKey(value);

    void ITailnetRun.RegisterSecret(string? value) => Run.RegisterSecret(value);

    void ITailnetRun.Note(string message) => State.Facts.Notes.Add(message);
}
