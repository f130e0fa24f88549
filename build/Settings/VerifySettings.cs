using System.Security.Cryptography.X509Certificates;
using Build.Security;

namespace Build.Settings;

/// <summary>The settings of one run, parsed and validated once.</summary>
public sealed record VerifySettings
{
    public required Uri GatewayUrl { get; init; }

    /// <summary>Where the URL came from, for messages: never the value itself.</summary>
    public required string GatewayUrlSource { get; init; }

    public string? ApiKey { get; init; }

    /// <summary>The --model value as given: one model, a comma-separated list, or <c>all</c>.</summary>
    public required string Model { get; init; }

    /// <summary>The models to check, in order; empty when every model the gateway lists is to be checked.</summary>
    public IReadOnlyList<string> Models => AllModels ? [] : SettingsReader.ModelNames(Model);

    public bool AllModels => Model.Trim().Equals(SettingsReader.AllModels, StringComparison.OrdinalIgnoreCase);

    public required string HealthPath { get; init; }

    public X509Certificate2Collection? ExtraTrust { get; init; }

    public bool Insecure { get; init; }

    public bool AllowHttp { get; init; }

    public required TimeSpan Deadline { get; init; }

    /// <summary>--no-color (applied as NO_COLOR before the console starts: see Program.cs).</summary>
    public bool NoColor { get; init; }

    /// <summary>The whole of ChatSmoke over several models (each model still has <see cref="Deadline"/>).</summary>
    public TimeSpan SweepDeadline { get; init; }

    public required string ReportPath { get; init; }

    public int MaxTokens { get; init; } = SettingsReader.DefaultMaxTokens;

    public bool DeepHealth { get; init; }

    public bool Stream { get; init; }

    public bool IsGitHubActions { get; init; }

    /// <summary>On GitHub Actions, or CI=true: a machine that runs once (no audit cache, longer default deadline).</summary>
    public bool IsCi { get; init; }

    public string WorkflowsDirectory { get; init; } = SettingsReader.DefaultWorkflows;

    /// <summary>Where Harden writes its SARIF file; null when not asked.</summary>
    public string? SarifPath { get; init; }

    public string? JUnitPath { get; init; }

    public KeyPolicy KeyPolicy { get; init; } = KeyPolicy.Enforce;

    public int KeyExpiryWarnDays { get; init; } = SettingsReader.DefaultKeyExpiryWarnDays;

    /// <summary>Things the settings reader changed on the user's behalf, said once at the start.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>True when --workflows was given (then the folder must exist); false for the repository's own.</summary>
    public bool WorkflowsGiven { get; init; }

    /// <summary>Block fails Harden on any error finding; audit reports and passes.</summary>
    public bool HardenBlocks { get; init; } = true;

    /// <summary>The rules Harden applies: this project's policy, or an audit of someone else's workflows.</summary>
    public Build.Hardening.AuditProfile HardenProfile { get; init; } = Build.Hardening.AuditProfile.Project;

    public EgressMode Egress { get; init; } = EgressMode.Block;

    public TailnetSettings Tailnet { get; init; } = new();

    public string HardenAgentDirectory { get; init; } = Build.Hardening.HardenRunnerState.DefaultDirectory;

    public string? StepSummaryPath { get; init; }

    /// <summary>Keys and credentials: redacted in every form, fragments included.</summary>
    public IReadOnlyList<string> Keys =>
        new[] { ApiKey }.Concat(Tailnet.Keys).OfType<string>().Where(key => key.Length > 0).Distinct().ToList();

    /// <summary>Infrastructure names (the gateway's URL and host, the OAuth client id): not keys, but masked where they appear whole.</summary>
    public IReadOnlyList<string> InfrastructureNames
    {
        get
        {
            var secrets = new List<string>();
            if (GatewayUrlSource != SettingsReader.DefaultSource)
            {
                secrets.Add(GatewayUrl.AbsoluteUri.TrimEnd('/'));
                secrets.Add(GatewayUrl.Authority);
                secrets.Add(GatewayUrl.IdnHost);
                secrets.Add(GatewayUrl.Host);
            }

            if (Tailnet.OAuthClientId is { } clientId)
            {
                secrets.Add(clientId);
            }

            return secrets.Distinct().ToList();
        }
    }
}
