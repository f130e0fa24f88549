namespace Build.Settings;

/// <summary>Every <c>--name=value</c> setting the build reads (the public interface: see README).</summary>
public static class ArgumentNames
{
    public const string LiteLlmUrl = "litellm-url";
    public const string Model = "model";
    public const string HealthPath = "health-path";
    public const string CaCert = "ca-cert";
    public const string Insecure = "insecure";
    public const string AllowHttp = "allow-http";
    public const string Deadline = "deadline";
    public const string SweepDeadline = "sweep-deadline";
    public const string Report = "report";
    public const string MaxTokens = "max-tokens";
    public const string DeepHealth = "deep-health";
    public const string Stream = "stream";
    public const string NoColor = "no-color";
    public const string Workflows = "workflows";
    public const string Harden = "harden";
    public const string HardenProfile = "harden-profile";
    public const string Egress = "egress";
    public const string HardenAgentDir = "harden-agent-dir";
    public const string Tailnet = "tailnet";
    public const string TailscaleVersion = "tailscale-version";
    public const string TailnetTags = "tailnet-tags";
    public const string TailscalePackages = "tailscale-pkgs-url";
    public const string TailscaleRootKeys = "tailscale-root-keys";
    public const string Sarif = "sarif";
    public const string JUnit = "junit";
    public const string KeyPolicy = "key-policy";
    public const string KeyExpiryWarnDays = "key-expiry-warn-days";

    /// <summary>Options that are recognised only to be refused with their own reason (credentials never come from argv).</summary>
    public static readonly IReadOnlyList<string> Refused = ["api-key", "litellm-api-key", "auth-key", "authkey", "oauth-secret", "ts-oauth-secret"];

    /// <summary>Options the host itself handles; they may reach the arguments too.</summary>
    public static IReadOnlyList<string> HostOptions => Cake.Frosting.Internal.HostSettings.Names;

    /// <summary>Every option the reader accepts: those of the settings catalog (which --help and the README show).</summary>
    public static IReadOnlyList<string> All => SettingsCatalog.Entries.Select(entry => entry.Option).OfType<string>().ToList();
}
