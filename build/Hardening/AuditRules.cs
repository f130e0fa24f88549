namespace Build.Hardening;

/// <summary>The rule ids of the workflow audit, with their fixes (README: Harden).</summary>
public static class AuditRules
{
    public const string UnpinnedUses = "unpinned-uses";
    public const string ExcessivePermissions = "excessive-permissions";
    public const string TemplateInjection = "template-injection";
    public const string DangerousTriggers = "dangerous-triggers";
    public const string Artipacked = "artipacked";
    public const string SecretsInherit = "secrets-inherit";
    public const string OverprovisionedSecrets = "overprovisioned-secrets";
    public const string HardenRunnerFirst = "harden-runner-first";
    public const string HardenRunnerAudit = "harden-runner-audit";
    public const string HardenRunnerBlocksTailnet = "harden-runner-blocks-tailnet";
    public const string Syntax = "syntax";

    /// <summary>
    /// Contexts that nobody outside the repository can influence, allowed inside <c>run:</c>.
    /// Everything else (event data, inputs, secrets, step outputs) must pass through <c>env:</c>.
    /// </summary>
    public static readonly IReadOnlySet<string> SafeExpressions = new HashSet<string>(StringComparer.Ordinal)
    {
        "github.run_id", "github.run_number", "github.run_attempt", "github.sha", "github.workspace",
        "github.job", "github.action_path", "runner.os", "runner.arch", "runner.temp", "runner.tool_cache", "job.status",
    };

    public const string HardenRunnerAction = "step-security/harden-runner";
    public const string CheckoutAction = "actions/checkout";
    public const string TailscaleAction = "tailscale/github-action";

    /// <summary>harden-runner's <c>egress-policy</c> when the input is omitted (its action.yml at v2.20.1).</summary>
    public static readonly string HardenRunnerDefaultPolicy = "block";

    /// <summary>Why a job that joins a tailnet needs harden-runner in audit mode (README: Security model).</summary>
    public static readonly string TailnetNeedsAudit =
        "block mode cannot carry a tailnet: tailscaled dials DERP relays by IP address, which harden-runner's DNS-based firewall never opens, and UDP is dropped";
}
