namespace Build.Hardening;

/// <summary>
/// Which rules the audit applies, chosen once (<c>--harden-profile</c>) and shown in the console, the report and SARIF.
/// <c>project</c> is this repository's own policy: every rule, every action pinned to a commit. <c>audit</c> audits
/// workflows that do not follow that policy: no harden-runner rules, and <c>actions/*</c> and <c>github/*</c> may be
/// pinned to a tag or branch. That is zizmor's <c>ref-pin</c> policy for those owners (zizmorcore/zizmor
/// crates/zizmor/src/config/mod.rs, <c>UsesPolicy::RefPin</c>; its default before v1.20.0, a documented setting since).
/// </summary>
public sealed record AuditProfile(string Name, string Summary, IReadOnlyList<string> SkippedRules, IReadOnlyList<string> RefPinnedOwners)
{
    public static readonly AuditProfile Project = new(
        "project",
        "every rule; every action pinned to a commit",
        [],
        []);

    public static readonly AuditProfile Audit = new(
        "audit",
        "no harden-runner rules; actions/* and github/* may be pinned to a tag",
        [AuditRules.HardenRunnerFirst, AuditRules.HardenRunnerAudit, AuditRules.HardenRunnerBlocksTailnet],
        ["actions", "github"]);

    public static readonly IReadOnlyList<AuditProfile> All = [Project, Audit];

    public static AuditProfile? Named(string? name) =>
        All.FirstOrDefault(profile => profile.Name.Equals(name?.Trim(), StringComparison.OrdinalIgnoreCase));

    public bool Applies(string rule) => !SkippedRules.Contains(rule, StringComparer.Ordinal);

    /// <summary>The rules this profile applies, in the catalog's order (SARIF's rule metadata).</summary>
    public IReadOnlyList<AuditRule> Rules => AuditRules.All.Where(rule => Applies(rule.Id)).ToList();

    /// <summary>True when <paramref name="owner"/>'s actions may be pinned to a tag or branch instead of a commit.</summary>
    public bool AllowsRefPin(string owner) => RefPinnedOwners.Contains(owner, StringComparer.OrdinalIgnoreCase);
}
