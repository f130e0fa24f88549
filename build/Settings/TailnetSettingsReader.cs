using System.Text.RegularExpressions;
using Build.Security;

namespace Build.Settings;

public static partial class TailnetSettingsReader
{
    public static TailnetSettings Read(ISettingsSource source, List<string> problems)
    {
        var mode = SettingsCatalog.Tailnet.Read(source, problems);
        var version = SettingsCatalog.TailscaleVersion.Read(source, problems).Trim();
        var tags = SettingsCatalog.TailnetTags.Read(source, problems).Trim();
        var packages = SettingsCatalog.TailscalePackages.Read(source, problems);
        var rootKeys = SettingsCatalog.TailscaleRootKeys.Read(source, problems);

        foreach (var name in new[] { "auth-key", "authkey", "oauth-secret", "ts-oauth-secret" })
        {
            if (source.Argument(name) is not null)
            {
                problems.Add($"--{name}: Tailscale credentials are never taken from the command line; set {EnvironmentNames.TsOAuthSecret}, " +
                    $"{EnvironmentNames.TsAuthKey} or {EnvironmentNames.TsOAuthClientId} + {EnvironmentNames.TsAudience} in the environment");
            }
        }

        var settings = new TailnetSettings
        {
            Mode = mode,
            Version = version,
            Tags = tags,
            Packages = packages,
            RootKeysOrigin = rootKeys is null ? TailnetSettings.EmbeddedRootsOrigin : $"root keys from --{ArgumentNames.TailscaleRootKeys}",
            OAuthClientId = Value(source.Environment(EnvironmentNames.TsOAuthClientId)),
            OAuthSecret = Value(source.Environment(EnvironmentNames.TsOAuthSecret)),
            Audience = Value(source.Environment(EnvironmentNames.TsAudience)),
            AuthKey = Value(source.Environment(EnvironmentNames.TsAuthKey)),
        };

        if (rootKeys is not null)
        {
            settings = settings with { RootKeys = rootKeys };
        }

        if (settings.OAuthSecret is { } secret && !secret.StartsWith("tskey-client-", StringComparison.Ordinal))
        {
            problems.Add($"{EnvironmentNames.TsOAuthSecret}: an OAuth client secret starts with tskey-client-; set the GitHub secret to the client's secret");
        }

        if (settings.AuthKey is { } key && !key.StartsWith("tskey-", StringComparison.Ordinal))
        {
            problems.Add($"{EnvironmentNames.TsAuthKey}: an auth key starts with tskey-; set the GitHub secret to a Tailscale auth key");
        }

        if (mode == TailnetMode.Join && settings.Credential == JoinCredential.None)
        {
            problems.Add($"--{ArgumentNames.Tailnet}=join: needs {EnvironmentNames.TsOAuthSecret} (OAuth client), {EnvironmentNames.TsOAuthClientId} + " +
                $"{EnvironmentNames.TsAudience} (workload identity federation) or {EnvironmentNames.TsAuthKey} in the environment");
        }

        return settings;
    }

    /// <summary>What is wrong with a --tailscale-version value, or null.</summary>
    internal static string? VersionProblem(string text)
    {
        var version = text.Trim();
        return version == TailnetSettings.LatestVersion || Version().IsMatch(version)
            ? null
            : $"must be a version such as {TailnetSettings.DefaultVersion}, or {TailnetSettings.LatestVersion}";
    }

    /// <summary>What is wrong with a --tailnet-tags value, or null.</summary>
    internal static string? TagsProblem(string text) =>
        text.Trim().Split(',').All(tag => Tag().IsMatch(tag)) ? null : "must be tags such as tag:ci (comma-separated)";

    private static string? Value(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    [GeneratedRegex(@"^\d+\.\d+\.\d+$")]
    private static partial Regex Version();

    [GeneratedRegex(@"^tag:[A-Za-z0-9-]+$")]
    private static partial Regex Tag();
}
