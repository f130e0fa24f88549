using Build.Core;

namespace Build.Hardening;

/// <summary>One audit rule: its id, its usual severity, what it flags and a title (README: Harden; SARIF rule metadata).</summary>
public sealed record AuditRule(string Id, Severity Severity, string Flags, string Title);

/// <summary>The rule ids of the workflow audit, with what each flags.</summary>
public static class AuditRules
{
    public const string UnpinnedUses = "unpinned-uses";
    public const string ExcessivePermissions = "excessive-permissions";
    public const string TemplateInjection = "template-injection";
    public const string SecretsInRun = "secrets-in-run";
    public const string DangerousTriggers = "dangerous-triggers";
    public const string Artipacked = "artipacked";
    public const string SecretsInherit = "secrets-inherit";
    public const string OverprovisionedSecrets = "overprovisioned-secrets";
    public const string GitHubEnv = "github-env";
    public const string InsecureCommands = "insecure-commands";
    public const string UnpinnedImages = "unpinned-images";
    public const string BotConditions = "bot-conditions";
    public const string UnsoundCondition = "unsound-condition";
    public const string CachePoisoning = "cache-poisoning";
    public const string SelfHostedRunner = "self-hosted-runner";
    public const string HardenRunnerFirst = "harden-runner-first";
    public const string HardenRunnerAudit = "harden-runner-audit";
    public const string HardenRunnerBlocksTailnet = "harden-runner-blocks-tailnet";
    public const string ArtifactPoisoning = "artifact-poisoning";
    public const string Syntax = "syntax";

    /// <summary>The rules' metadata, from the registry (one file per rule in Rules/).</summary>
    public static IReadOnlyList<AuditRule> All { get; } = Rules.AuditRuleRegistry.All.Select(rule => rule.Rule).ToList();

    public const string HardenRunnerAction = "step-security/harden-runner";
    public const string CheckoutAction = "actions/checkout";
    public const string TailscaleAction = "tailscale/github-action";

    /// <summary>harden-runner's <c>egress-policy</c> when the input is omitted (its action.yml at v2.20.1).</summary>
    public static readonly string HardenRunnerDefaultPolicy = "block";

    /// <summary>Why a job that joins a tailnet needs harden-runner in audit mode (README: Security model).</summary>
    public static readonly string TailnetNeedsAudit =
        "block mode cannot carry a tailnet: tailscaled dials DERP relays by IP address, which harden-runner's DNS-based firewall " +
            "never opens, and UDP is dropped";

    /// <summary>True when <paramref name="uses"/> names exactly this action (any ref), not a look-alike such as owner/action-x.</summary>
    public static bool IsAction(string? uses, string action) =>
        uses is not null && uses.StartsWith(action + "@", StringComparison.OrdinalIgnoreCase);
}
