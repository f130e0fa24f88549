namespace Build.Settings;

/// <summary>
/// One setting: what it is, where it is set (the text --help and the docs show), its default, its option and environment
/// variable (the option wins over the variable, which wins over the default), and whether its value is a secret (masked
/// before the first output, never accepted as an option).
/// </summary>
public sealed record SettingEntry(string What, string Source, string Default, string? Option = null, string? Environment = null, bool Secret = false);

/// <summary>
/// Every setting the build reads, once: the option list the reader accepts, <c>--help</c>, and the
/// README's settings table (a test keeps the README equal to it) all come from here.
/// </summary>
public static class SettingsCatalog
{
    public static readonly IReadOnlyList<SettingEntry> Entries =
    [
        new("gateway base URL", $"`--{ArgumentNames.LiteLlmUrl}` or `{EnvironmentNames.LiteLlmUrl}`; else `https://${EnvironmentNames.LiteLlmHost}:${EnvironmentNames.LiteLlmPort}` (a host name: https)", $"`{SettingsReader.DefaultUrl}` (one trailing `/v1` is dropped, with a note)", ArgumentNames.LiteLlmUrl, EnvironmentNames.LiteLlmUrl),
        new("API key", $"`{EnvironmentNames.LiteLlmApiKey}` (environment only, never an option)", "none: ChatSmoke sends no key", Environment: EnvironmentNames.LiteLlmApiKey, Secret: true),
        new("model(s) for ChatSmoke", $"`--{ArgumentNames.Model}` or `{EnvironmentNames.LiteLlmModel}`: one model, a comma-separated list, or `{SettingsReader.AllModels}` (the ids of `/v1/models`, at most {SettingsReader.MostModels}); several run 4 at a time", $"`{SettingsReader.DefaultModel}`", ArgumentNames.Model, EnvironmentNames.LiteLlmModel),
        new("health path", $"`--{ArgumentNames.HealthPath}`", $"`{SettingsReader.DefaultHealthPath}` (use e.g. `/health` for gateways that are not LiteLLM)", ArgumentNames.HealthPath),
        new("extra trust anchor", $"`--{ArgumentNames.CaCert}=PATH` or `{EnvironmentNames.LiteLlmCaCert}` (PEM or DER, a regular file of at most 1 MiB)", "system trust only", ArgumentNames.CaCert, EnvironmentNames.LiteLlmCaCert),
        new("skip TLS verification", $"`--{ArgumentNames.Insecure}`", "off (loud warning when on)", ArgumentNames.Insecure),
        new("plain http beyond loopback/tailnet", $"`--{ArgumentNames.AllowHttp}`", "off", ArgumentNames.AllowHttp),
        new("deadline per check, in seconds", $"`--{ArgumentNames.Deadline}=SECONDS` (1 to 3600)", "10 on a laptop, 60 when `CI=true` (a new tailnet peer can take ~30 s to appear)", ArgumentNames.Deadline),
        new("budget for ChatSmoke over several models, in seconds", $"`--{ArgumentNames.SweepDeadline}=SECONDS` (1 to 7200)", "twice the deadline: models not answered by then fail as not reached", ArgumentNames.SweepDeadline),
        new("report file", $"`--{ArgumentNames.Report}=PATH` (never inside `build/`)", $"`{SettingsReader.DefaultReportPath}` in the repository", ArgumentNames.Report),
        new("what KeyCheck's errors do", $"`--{ArgumentNames.KeyPolicy}=enforce|warn|off`", "`enforce`: an error (master key, expired, over budget) fails KeyCheck; `warn` reports only; `off` skips KeyCheck", ArgumentNames.KeyPolicy),
        new("days before a key's expiry that KeyCheck warns", $"`--{ArgumentNames.KeyExpiryWarnDays}=N` (0 to 3650)", $"`{SettingsReader.DefaultKeyExpiryWarnDays}`", ArgumentNames.KeyExpiryWarnDays),
        new("max tokens for ChatSmoke", $"`--{ArgumentNames.MaxTokens}=N`", $"{SettingsReader.DefaultMaxTokens}", ArgumentNames.MaxTokens),
        new("deep model check (`/health`, calls every model)", $"`--{ArgumentNames.DeepHealth}`", "off", ArgumentNames.DeepHealth),
        new("stream the chat completion", $"`--{ArgumentNames.Stream}`", "off", ArgumentNames.Stream),
        new("no colour in the console", $"`--{ArgumentNames.NoColor}` or `NO_COLOR` (any value)", "colour only on a terminal or in GitHub Actions' log", ArgumentNames.NoColor),
        new("workflows to audit", $"`--{ArgumentNames.Workflows}=DIR` (must exist)", $"`{SettingsReader.DefaultWorkflows}` in the repository", ArgumentNames.Workflows),
        new("workflow audit mode", $"`--{ArgumentNames.Harden}=audit|block`", "`block`: any error finding fails Harden; `audit` reports and passes", ArgumentNames.Harden),
        new("which rules the workflow audit applies", $"`--{ArgumentNames.HardenProfile}=project|audit`", $"`project`: {Hardening.AuditProfile.Project.Summary}; `audit`: {Hardening.AuditProfile.Audit.Summary} (for workflows that do not follow this project's policy)", ArgumentNames.HardenProfile),
        new("egress mode for the run's own HTTP traffic", $"`--{ArgumentNames.Egress}=audit|block`", "`block`: a destination outside the allowlist is refused before connecting; `audit` records it", ArgumentNames.Egress),
        new("SARIF 2.1.0 file of the workflow audit, for GitHub code scanning", $"`--{ArgumentNames.Sarif}=PATH` (never inside `build/`)", "none (not written)", ArgumentNames.Sarif),
        new("JUnit XML file of the run (one testcase per task), for CI test reporters", $"`--{ArgumentNames.JUnit}=PATH` (never inside `build/`)", "none (not written)", ArgumentNames.JUnit),
        new("harden-runner agent folder", $"`--{ArgumentNames.HardenAgentDir}=DIR`", $"`{Hardening.HardenRunnerState.DefaultDirectory}` (read on GitHub Actions only)", ArgumentNames.HardenAgentDir),
        new("how to reach the tailnet", $"`--{ArgumentNames.Tailnet}=auto|reuse|join|off`", "`auto`: off for loopback and non-tailnet URLs, reuse when a local tailscale is Running, join when join credentials are set", ArgumentNames.Tailnet),
        new("join credentials (environment only)", $"`{EnvironmentNames.TsOAuthSecret}` (+ `{EnvironmentNames.TsOAuthClientId}`), or `{EnvironmentNames.TsOAuthClientId}` + `{EnvironmentNames.TsAudience}` (workload identity federation), or `{EnvironmentNames.TsAuthKey}`", "none", Environment: EnvironmentNames.TsOAuthSecret, Secret: true),
        new("tags the joined node advertises", $"`--{ArgumentNames.TailnetTags}`", $"`{TailnetSettings.DefaultTags}`", ArgumentNames.TailnetTags),
        new("Tailscale version installed when not on PATH", $"`--{ArgumentNames.TailscaleVersion}=X.Y.Z` or `{TailnetSettings.LatestVersion}` (the site's stable index names it; verified like any other)", $"`{TailnetSettings.DefaultVersion}` (newest stable on {TailnetSettings.DefaultVersionChecked})", ArgumentNames.TailscaleVersion),
        new("where that version is downloaded from", $"`--{ArgumentNames.TailscalePackages}`", $"`{TailnetSettings.DefaultPackages}` (Tailscale's signature and the published `.sha256` checked)", ArgumentNames.TailscalePackages),
        new("root keys that must sign the site's signing keys", $"`--{ArgumentNames.TailscaleRootKeys}=PATH` (a PEM file of `ROOT PUBLIC KEY` blocks, for a mirror)", $"the two root keys of tailscale {TailnetSettings.DefaultVersion}", ArgumentNames.TailscaleRootKeys),
    ];

    /// <summary>The README's settings table rows, Markdown.</summary>
    public static IEnumerable<string> MarkdownRows =>
        Entries.Select(entry => $"| {entry.What} | {entry.Source.Replace("|", "\\|", StringComparison.Ordinal)} | {entry.Default.Replace("|", "\\|", StringComparison.Ordinal)} |");

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
