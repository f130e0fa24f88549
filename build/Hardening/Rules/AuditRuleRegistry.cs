namespace Build.Hardening.Rules;

/// <summary>
/// Every audit rule, in the order the docs table and SARIF's rule metadata list them. Adding a rule is one file in this
/// folder (an <see cref="IAuditRule"/> with its id in <see cref="AuditRules"/>), one line here, and its fixtures.
/// </summary>
internal static class AuditRuleRegistry
{
    public static readonly IReadOnlyList<IAuditRule> All =
    [
        new UnpinnedUsesRule(),
        new ExcessivePermissionsRule(),
        new TemplateInjectionRule(),
        new SecretsInRunRule(),
        new DangerousTriggersRule(),
        new ArtipackedRule(),
        new SecretsInheritRule(),
        new OverprovisionedSecretsRule(),
        new GitHubEnvRule(),
        new InsecureCommandsRule(),
        new UnpinnedImagesRule(),
        new BotConditionsRule(),
        new UnsoundConditionRule(),
        new CachePoisoningRule(),
        new SelfHostedRunnerRule(),
        new HardenRunnerFirstRule(),
        new HardenRunnerAuditRule(),
        new HardenRunnerBlocksTailnetRule(),
        new ArtifactPoisoningRule(),
        new SyntaxRule(),
    ];
}
