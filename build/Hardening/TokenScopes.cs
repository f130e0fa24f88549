namespace Build.Hardening;

/// <summary>
/// What actions do with the job's GITHUB_TOKEN, for excessive-permissions "by need": the write scopes an action
/// uses, and actions that use none. An action in neither list may use any scope (many default a `token` input to
/// github.token), so a job with one is not told its write scopes are unused.
/// </summary>
public static class TokenScopes
{
    /// <summary>Actions and the write scopes they use.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Writers = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase)
    {
        ["actions/labeler"] = ["pull-requests", "issues"],
        ["actions/first-interaction"] = ["issues", "pull-requests"],
        ["actions/stale"] = ["issues", "pull-requests"],
        ["actions/deploy-pages"] = ["pages", "id-token"],
        ["actions/attest-build-provenance"] = ["attestations", "id-token"],
        ["github/codeql-action/upload-sarif"] = ["security-events"],
        ["github/codeql-action/analyze"] = ["security-events"],
        ["softprops/action-gh-release"] = ["contents"],
        ["peter-evans/create-pull-request"] = ["contents", "pull-requests"],
        ["stefanzweifel/git-auto-commit-action"] = ["contents"],
        ["docker/login-action"] = ["packages"],
        ["tailscale/github-action"] = ["id-token"],
        ["aws-actions/configure-aws-credentials"] = ["id-token"],
        ["google-github-actions/auth"] = ["id-token"],
        ["azure/login"] = ["id-token"],
    };

    /// <summary>Actions that use no write scope of the job's token.</summary>
    public static readonly IReadOnlyList<string> NonWriters =
    [
        "actions/checkout", "actions/cache", "actions/upload-artifact", "actions/download-artifact", "actions/setup-dotnet",
        "actions/setup-node", "actions/setup-python", "actions/setup-go", "actions/setup-java", "step-security/harden-runner",
        "amannn/action-semantic-pull-request",
    ];

    /// <summary>Whether a step with this <c>uses:</c> may use <paramref name="scope"/>: known writers by their list, known non-writers never,
    /// anything else maybe.</summary>
    public static bool MayUse(string uses, string scope)
    {
        if (Writers.FirstOrDefault(pair => AuditRules.IsAction(uses, pair.Key)) is { Key: not null } writer)
        {
            return writer.Value.Contains(scope, StringComparer.OrdinalIgnoreCase);
        }

        return !NonWriters.Any(action => AuditRules.IsAction(uses, action));
    }
}
