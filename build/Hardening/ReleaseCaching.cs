namespace Build.Hardening;

/// <summary>
/// The actions that restore a cache, with the input that switches it, and the actions that publish, as zizmor
/// models them (zizmorcore/zizmor crates/zizmor/src/audit/cache_poisoning.rs: KNOWN_CACHE_AWARE_ACTIONS and
/// KNOWN_PUBLISHER_ACTIONS). A value written as an expression is unknown until the run, so it counts as on.
/// </summary>
public static class ReleaseCaching
{
    /// <summary>An input that turns a cache on (opt-in) or off (opt-out), and what it does when it is absent.</summary>
    public sealed record Switch(string Input, bool OptOut, bool OnWhenAbsent, Func<string, bool> Set)
    {
        public bool IsOn(string? value)
        {
            if (value is null)
            {
                return OnWhenAbsent;
            }

            if (value.Contains("${{", StringComparison.Ordinal))
            {
                return true;
            }

            return Set(value.Trim().ToLowerInvariant()) != OptOut;
        }
    }

    private static readonly Func<string, bool> Boolean = value => value == "true";
    private static readonly Func<string, bool> Text = value => value.Length > 0;

    private static Func<string, bool> OneOf(params string[] values) => value => values.Contains(value, StringComparer.Ordinal);

    /// <summary>Action (owner/name, or owner/name/sub-action) → the switches of which any one turns its cache on; none: always on.</summary>
    public static readonly IReadOnlyDictionary<string, Switch[]> CacheAware = new Dictionary<string, Switch[]>(StringComparer.OrdinalIgnoreCase)
    {
        ["actions/cache"] = [new("lookup-only", OptOut: true, OnWhenAbsent: true, Boolean)],
        ["actions/setup-java"] = [new("cache", OptOut: false, OnWhenAbsent: false, Text)],
        ["actions/setup-go"] = [new("cache", OptOut: false, OnWhenAbsent: true, Boolean)],
        ["actions/setup-node"] = [new("cache", OptOut: false, OnWhenAbsent: false, OneOf("npm", "yarn",
            "pnpm")), new("package-manager-cache", OptOut: false, OnWhenAbsent: true, Boolean)],
        ["actions/setup-python"] = [new("cache", OptOut: false, OnWhenAbsent: false, Text)],
        ["actions/setup-dotnet"] = [new("cache", OptOut: false, OnWhenAbsent: false, Boolean)],
        ["astral-sh/setup-uv"] = [new("enable-cache", OptOut: false, OnWhenAbsent: false, OneOf("true"))],
        ["Swatinem/rust-cache"] = [new("lookup-only", OptOut: true, OnWhenAbsent: true, Boolean)],
        ["ruby/setup-ruby"] = [new("bundler-cache", OptOut: false, OnWhenAbsent: false, Boolean)],
        ["PyO3/maturin-action"] = [new("sccache", OptOut: false, OnWhenAbsent: false, Boolean)],
        ["mlugg/setup-zig"] = [new("use-cache", OptOut: false, OnWhenAbsent: true, Boolean)],
        ["oven-sh/setup-bun"] = [new("no-cache", OptOut: true, OnWhenAbsent: true, Boolean)],
        ["DeterminateSystems/magic-nix-cache-action"] = [new("use-gha-cache", OptOut: false, OnWhenAbsent: true, Boolean)],
        ["graalvm/setup-graalvm"] = [new("cache", OptOut: false, OnWhenAbsent: false, Text)],
        ["gradle/actions/setup-gradle"] = [new("cache-disabled", OptOut: true, OnWhenAbsent: true, Boolean)],
        ["actions-rust-lang/setup-rust-toolchain"] = [new("cache", OptOut: false, OnWhenAbsent: true, Boolean)],
        ["jdx/mise-action"] = [new("cache", OptOut: false, OnWhenAbsent: true, Boolean)],
        ["ramsey/composer-install"] = [new("ignore-cache", OptOut: true, OnWhenAbsent: true, OneOf("yes", "true", "1"))],
        ["Mozilla-Actions/sccache-action"] = [],
        ["nix-community/cache-nix-action"] = [],
        ["awalsh128/cache-apt-pkgs-action"] = [],
    };

    /// <summary>Actions that publish; docker/build-push-action only when it pushes (zizmor counts an absent push as pushing).</summary>
    public static readonly IReadOnlyDictionary<string, Switch?> Publishers = new Dictionary<string, Switch?>(StringComparer.OrdinalIgnoreCase)
    {
        ["pypa/gh-action-pypi-publish"] = null,
        ["rubygems/release-gem"] = null,
        ["jreleaser/release-action"] = null,
        ["goreleaser/goreleaser-action"] = null,
        ["softprops/action-gh-release"] = null,
        ["release-drafter/release-drafter"] = null,
        ["googleapis/release-please-action"] = null,
        ["docker/build-push-action"] = new("push", OptOut: false, OnWhenAbsent: true, Boolean),
        ["redhat-actions/push-to-registry"] = null,
        ["aws-actions/amazon-ecs-deploy-task-definition"] = null,
        ["aws-actions/aws-cloudformation-github-deploy"] = null,
        ["Azure/aci-deploy"] = null,
        ["Azure/container-apps-deploy-action"] = null,
        ["Azure/functions-action"] = null,
        ["Azure/sql-action"] = null,
        ["cloudflare/wrangler-action"] = null,
        ["google-github-actions/deploy-appengine"] = null,
        ["google-github-actions/deploy-cloudrun"] = null,
        ["google-github-actions/deploy-cloud-functions"] = null,
        ["actions/create-release"] = null,
        ["ncipollo/release-action"] = null,
        ["JS-DevTools/npm-publish"] = null,
    };

    /// <summary>The table's entry for a <c>uses:</c> value: the longest key that names it (owner/name or owner/name/sub-action), at any ref.</summary>
    public static string? Match(IEnumerable<string> actions, string uses)
    {
        var at = uses.IndexOf('@');
        var name = at < 0 ? uses : uses[..at];
        return actions.Where(action => name.Equals(action, StringComparison.OrdinalIgnoreCase)
            || name.StartsWith(action + "/", StringComparison.OrdinalIgnoreCase))
            .MaxBy(action => action.Length);
    }
}
