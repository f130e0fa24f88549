using Build.Security;

namespace Build.Settings;

public enum TailnetMode
{
    /// <summary>Off for loopback and non-tailnet gateways, reuse when a local tailscale runs, join when credentials are set.</summary>
    Auto,

    /// <summary>Use the tailscale already up on this machine (a laptop).</summary>
    Reuse,

    /// <summary>Bring up a private, ephemeral, tagged, rootless node for this run (CI).</summary>
    Join,

    Off,
}

public enum JoinCredential
{
    None,
    OAuthSecret,
    WorkloadIdentity,
    AuthKey,
}

/// <summary>How ConnectTailnet reaches the gateway; secrets stay here and never reach an argument list.</summary>
public sealed record TailnetSettings
{
    /// <summary>
    /// The newest stable release when last checked (<see cref="DefaultVersionChecked"/>, against the tags of
    /// tailscale/tailscale). distsign checks a tarball against the signing keys of today, which old releases stop
    /// verifying against when the keys rotate: keep this current. v1.102.3's distsign roots are v1.94.2's.
    /// </summary>
    public const string DefaultVersion = "1.102.3";

    public const string DefaultVersionChecked = "2026-11-28";

    /// <summary>The newest stable release, as the packages site's index says (resolved at install, then verified as any other).</summary>
    public const string LatestVersion = "latest";
    public const string DefaultTags = "tag:ci";
    public const string DefaultPackages = "https://pkgs.tailscale.com";

    public TailnetMode Mode { get; init; } = TailnetMode.Auto;

    public string Version { get; init; } = DefaultVersion;

    public string Tags { get; init; } = DefaultTags;

    public Uri Packages { get; init; } = new(DefaultPackages);

    /// <summary>The Ed25519 root keys that must sign the packages site's signing keys.</summary>
    /// <remarks>The embedded roots are parsed on first use, not when settings are read: a run without a tailnet never needs them.</remarks>
    public IReadOnlyList<byte[]> RootKeys
    {
        get => _rootKeys ?? PackageSignature.EmbeddedRootKeys;
        init => _rootKeys = value;
    }

    private readonly IReadOnlyList<byte[]>? _rootKeys;

    /// <summary>Where the root keys came from, for failure messages.</summary>
    public string RootKeysOrigin { get; init; } = EmbeddedRootsOrigin;

    public const string EmbeddedRootsOrigin = $"root keys of tailscale {DefaultVersion}";

    public string? OAuthClientId { get; init; }

    public string? OAuthSecret { get; init; }

    public string? Audience { get; init; }

    public string? AuthKey { get; init; }

    /// <summary>Join credentials in the documented order: OAuth secret, workload identity federation, auth key.</summary>
    public JoinCredential Credential =>
        OAuthSecret is not null ? JoinCredential.OAuthSecret
        : OAuthClientId is not null && Audience is not null ? JoinCredential.WorkloadIdentity
        : AuthKey is not null ? JoinCredential.AuthKey
        : JoinCredential.None;

    public IEnumerable<string> Keys =>
        new[] { OAuthSecret, AuthKey }.OfType<string>();
}
