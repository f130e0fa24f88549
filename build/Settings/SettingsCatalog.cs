using Build.Security;

namespace Build.Settings;

/// <summary>
/// Every setting the build reads, once: the option list the reader accepts, <c>--help</c>, and the
/// README's settings table (a test keeps the README equal to it) all come from here.
/// </summary>
public static class SettingsCatalog
{
    public static readonly SettingEntry GatewayUrl = new(
        "gateway base URL",
        $"`--{ArgumentNames.LiteLlmUrl}` or `{EnvironmentNames.LiteLlmUrl}`; else " +
            $"`https://${EnvironmentNames.LiteLlmHost}:${EnvironmentNames.LiteLlmPort}` (a host name: https)",
        $"`{SettingsReader.DefaultUrl}` (one trailing `/v1` is dropped, with a note)",
        ArgumentNames.LiteLlmUrl,
        EnvironmentNames.LiteLlmUrl);

    public static readonly Setting<string> ApiKey = new(
        "API key",
        SettingParsers.Checked(string.Empty, key => key.Any(character => char.IsControl(character) || character == ' ')
            ? "contains spaces or control characters (a pasted newline?); set the GitHub secret or environment variable again"
            : null),
        string.Empty,
        "none: ChatSmoke sends no key",
        environment: EnvironmentNames.LiteLlmApiKey,
        source: $"`{EnvironmentNames.LiteLlmApiKey}` (environment only, never an option)",
        secret: true);

    public static readonly Setting<string> Model = new(
        "model(s) for ChatSmoke",
        SettingParsers.Checked(string.Empty, SettingsReader.ModelProblem),
        SettingsReader.DefaultModel,
        $"`{SettingsReader.DefaultModel}`",
        ArgumentNames.Model,
        EnvironmentNames.LiteLlmModel,
        source: $"`--{ArgumentNames.Model}` or `{EnvironmentNames.LiteLlmModel}`: one model, a comma-separated list, or `{SettingsReader.AllModels}` (the " +
            $"ids of `/v1/models`, at most {SettingsReader.MostModels}); several run 4 at a time",
        problemLabel: $"--{ArgumentNames.Model} / {EnvironmentNames.LiteLlmModel}");

    public static readonly Setting<string> HealthPath = new(
        "health path",
        SettingParsers.Checked("=PATH", path => !path.StartsWith('/') || path.Contains("://", StringComparison.Ordinal) || path.Any(char.IsWhiteSpace)
            ? $"must be a path starting with '/', such as {SettingsReader.DefaultHealthPath}"
            : null),
        SettingsReader.DefaultHealthPath,
        $"`{SettingsReader.DefaultHealthPath}` (use e.g. `/health` for gateways that are not LiteLLM)",
        ArgumentNames.HealthPath);

    public static readonly Setting<System.Security.Cryptography.X509Certificates.X509Certificate2Collection?> CaCert = new(
        "extra trust anchor",
        FileSettingParsers.Certificates,
        null,
        "system trust only",
        ArgumentNames.CaCert,
        EnvironmentNames.LiteLlmCaCert,
        note: "(PEM or DER, a regular file of at most 1 MiB)");

    public static readonly Setting<bool> Insecure = new("skip TLS verification", SettingParsers.Switch, false,
        "off (loud warning when on)", ArgumentNames.Insecure);

    public static readonly Setting<bool> AllowHttp = new("plain http beyond loopback/tailnet", SettingParsers.Switch, false, "off", ArgumentNames.AllowHttp);

    public static readonly Setting<TimeSpan> Deadline = new(
        "deadline per check, in seconds",
        SettingParsers.Seconds(1, 3600, example: 60),
        SettingsReader.LaptopDeadline,
        $"{SettingsReader.LaptopDeadline.TotalSeconds:0} on a laptop, {SettingsReader.CiDeadline.TotalSeconds:0} when `CI=true` (a new tailnet " +
            "peer can take ~30 s to appear)",
        ArgumentNames.Deadline);

    public static readonly Setting<TimeSpan> SweepDeadline = new(
        "budget for ChatSmoke over several models, in seconds",
        SettingParsers.Seconds(1, 7200, example: 120),
        SettingsReader.LaptopDeadline * 2,
        "twice the deadline: models not answered by then fail as not reached",
        ArgumentNames.SweepDeadline);

    public static readonly Setting<string?> Report = new(
        "report file",
        FileSettingParsers.OutputFile(SettingsReader.DefaultReportPath),
        null,
        $"`{SettingsReader.DefaultReportPath}` in the repository",
        ArgumentNames.Report,
        note: "(never inside `build/`)");

    public static readonly Setting<KeyPolicy> KeyPolicy = new(
        "what KeyCheck's errors do",
        SettingParsers.OneOf([("enforce", Settings.KeyPolicy.Enforce), ("warn", Settings.KeyPolicy.Warn), ("off", Settings.KeyPolicy.Off)], example: "warn"),
        Settings.KeyPolicy.Enforce,
        "`enforce`: an error (master key, expired, over budget) fails KeyCheck; `warn` reports only; `off` skips KeyCheck",
        ArgumentNames.KeyPolicy);

    public static readonly Setting<int> KeyExpiryWarnDays = new(
        "days before a key's expiry that KeyCheck warns",
        SettingParsers.WholeNumber(0, 3650, example: SettingsReader.DefaultKeyExpiryWarnDays),
        SettingsReader.DefaultKeyExpiryWarnDays,
        $"`{SettingsReader.DefaultKeyExpiryWarnDays}`",
        ArgumentNames.KeyExpiryWarnDays);

    public static readonly Setting<int> MaxTokens = new(
        "max tokens for ChatSmoke",
        SettingParsers.WholeNumber(1, 32768, example: 64),
        SettingsReader.DefaultMaxTokens,
        $"{SettingsReader.DefaultMaxTokens}",
        ArgumentNames.MaxTokens);

    public static readonly Setting<bool> DeepHealth = new("deep model check (`/health`, calls every model)", SettingParsers.Switch, false,
        "off", ArgumentNames.DeepHealth);

    public static readonly Setting<bool> Stream = new("stream the chat completion", SettingParsers.Switch, false, "off", ArgumentNames.Stream);

    /// <summary>NO_COLOR counts with any value (no-color.org), so it is read where the console is made, not parsed as a switch.</summary>
    public static readonly Setting<bool> NoColor = new(
        "no colour in the console",
        SettingParsers.Switch,
        false,
        "colour only on a terminal or in GitHub Actions' log",
        ArgumentNames.NoColor,
        source: $"`--{ArgumentNames.NoColor}` or `NO_COLOR` (any value)");

    public static readonly Setting<string> Workflows = new(
        "workflows to audit",
        FileSettingParsers.ExistingFolder("no such folder; give the folder that holds the workflow files (default " +
            $"{SettingsReader.DefaultWorkflows} in the repository)"),
        SettingsReader.DefaultWorkflows,
        $"`{SettingsReader.DefaultWorkflows}` in the repository",
        ArgumentNames.Workflows,
        note: "(must exist)");

    public static readonly Setting<bool> HardenBlocks = new(
        "workflow audit mode",
        SettingParsers.OneOf([("audit", false), ("block", true)], example: "audit"),
        true,
        "`block`: any error finding fails Harden; `audit` reports and passes",
        ArgumentNames.Harden);

    public static readonly Setting<Hardening.AuditProfile> HardenProfile = new(
        "which rules the workflow audit applies",
        SettingParsers.OneOf(Hardening.AuditProfile.All.Select(profile => (profile.Name, profile)).ToList(), example: "audit"),
        Hardening.AuditProfile.Project,
        $"`project`: {Hardening.AuditProfile.Project.Summary}; `audit`: {Hardening.AuditProfile.Audit.Summary} (for workflows that do not " +
            "follow this project's policy)",
        ArgumentNames.HardenProfile);

    public static readonly Setting<EgressMode> Egress = new(
        "egress mode for the run's own HTTP traffic",
        SettingParsers.OneOf([("audit", EgressMode.Audit), ("block", EgressMode.Block)], example: "audit"),
        EgressMode.Block,
        "`block`: a destination outside the allowlist is refused before connecting; `audit` records it",
        ArgumentNames.Egress);

    public static readonly Setting<string?> Sarif = new(
        "SARIF 2.1.0 file of the workflow audit, for GitHub code scanning",
        FileSettingParsers.OutputFile("artifacts/harden.sarif"),
        null,
        "none (not written)",
        ArgumentNames.Sarif,
        note: "(never inside `build/`)");

    public static readonly Setting<string?> JUnit = new(
        "JUnit XML file of the run (one testcase per task), for CI test reporters",
        FileSettingParsers.OutputFile("artifacts/verify-junit.xml"),
        null,
        "none (not written)",
        ArgumentNames.JUnit,
        note: "(never inside `build/`)");

    public static readonly Setting<string> HardenAgentDir = new(
        "harden-runner agent folder",
        SettingParsers.Text("=DIR"),
        Hardening.HardenRunnerState.DefaultDirectory,
        $"`{Hardening.HardenRunnerState.DefaultDirectory}` (read on GitHub Actions only)",
        ArgumentNames.HardenAgentDir);

    public static readonly Setting<TailnetMode> Tailnet = new(
        "how to reach the tailnet",
        SettingParsers.OneOf([("auto", TailnetMode.Auto), ("reuse", TailnetMode.Reuse), ("join", TailnetMode.Join), ("off", TailnetMode.Off)]),
        TailnetMode.Auto,
        "`auto`: off for loopback and non-tailnet URLs, reuse when a local tailscale is Running, join when join credentials are set",
        ArgumentNames.Tailnet);

    public static readonly SettingEntry JoinCredentials = new(
        "join credentials (environment only)",
        $"`{EnvironmentNames.TsOAuthSecret}` (+ `{EnvironmentNames.TsOAuthClientId}`), or `{EnvironmentNames.TsOAuthClientId}` + " +
            $"`{EnvironmentNames.TsAudience}` (workload identity federation), or `{EnvironmentNames.TsAuthKey}`",
        "none",
        environment: EnvironmentNames.TsOAuthSecret,
        secret: true);

    public static readonly Setting<string> TailnetTags = new(
        "tags the joined node advertises",
        SettingParsers.Checked(string.Empty, TailnetSettingsReader.TagsProblem),
        TailnetSettings.DefaultTags,
        $"`{TailnetSettings.DefaultTags}`",
        ArgumentNames.TailnetTags);

    public static readonly Setting<string> TailscaleVersion = new(
        "Tailscale version installed when not on PATH",
        SettingParsers.Checked("=X.Y.Z", TailnetSettingsReader.VersionProblem),
        TailnetSettings.DefaultVersion,
        $"`{TailnetSettings.DefaultVersion}` (newest stable on {TailnetSettings.DefaultVersionChecked})",
        ArgumentNames.TailscaleVersion,
        note: $"or `{TailnetSettings.LatestVersion}` (the site's stable index names it; verified like any other)");

    public static readonly Setting<Uri> TailscalePackages = new(
        "where that version is downloaded from",
        FileSettingParsers.DownloadSite(TailnetSettings.DefaultPackages),
        new Uri(TailnetSettings.DefaultPackages),
        $"`{TailnetSettings.DefaultPackages}` (Tailscale's signature and the published `.sha256` checked)",
        ArgumentNames.TailscalePackages);

    public static readonly Setting<IReadOnlyList<byte[]>?> TailscaleRootKeys = new(
        "root keys that must sign the site's signing keys",
        FileSettingParsers.RootKeys,
        null,
        $"the two root keys of tailscale {TailnetSettings.DefaultVersion}",
        ArgumentNames.TailscaleRootKeys,
        note: "(a PEM file of `ROOT PUBLIC KEY` blocks, for a mirror)");

    /// <summary>In the order --help and the docs list them.</summary>
    public static readonly IReadOnlyList<SettingEntry> Entries =
    [
        GatewayUrl, ApiKey, Model, HealthPath, CaCert, Insecure, AllowHttp, Deadline, SweepDeadline, Report, KeyPolicy, KeyExpiryWarnDays,
        MaxTokens, DeepHealth, Stream, NoColor, Workflows, HardenBlocks, HardenProfile, Egress, Sarif, JUnit, HardenAgentDir, Tailnet,
        JoinCredentials, TailnetTags, TailscaleVersion, TailscalePackages, TailscaleRootKeys,
    ];

    /// <summary>The README's settings table rows, Markdown.</summary>
    public static IEnumerable<string> MarkdownRows =>
        Entries.Select(entry => $"| {entry.What} | {entry.Source.Replace("|", "\\|", StringComparison.Ordinal)} | " +
            $"{entry.Default.Replace("|", "\\|", StringComparison.Ordinal)} |");

    /// <summary>The settings as --help prints them: one line each.</summary>
    public static string HelpText()
    {
        static string Plain(string text) => text.Replace("`", string.Empty, StringComparison.Ordinal);
        var lines = new List<string> { string.Empty, "SETTINGS (README: Settings; keys and credentials come only from the environment):" };
        lines.AddRange(Entries.Select(entry => $"    {Plain(entry.Source)}: {Plain(entry.What)}; default {Plain(entry.Default)}"));
        lines.Add(string.Empty);
        return string.Join(Environment.NewLine, lines);
    }
}
