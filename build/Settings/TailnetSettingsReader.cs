using System.Text.RegularExpressions;
using Build.Security;

namespace Build.Settings;

public static partial class TailnetSettingsReader
{
    public static TailnetSettings Read(ISettingsSource source, List<string> problems)
    {
        var mode = (source.Argument(ArgumentNames.Tailnet)?.ToLowerInvariant()) switch
        {
            null or "auto" => TailnetMode.Auto,
            "reuse" => TailnetMode.Reuse,
            "join" => TailnetMode.Join,
            "off" => TailnetMode.Off,
            _ => Problem(problems, $"--{ArgumentNames.Tailnet}: must be auto, reuse, join or off", TailnetMode.Auto),
        };

        var version = Value(source.Argument(ArgumentNames.TailscaleVersion)) ?? TailnetSettings.DefaultVersion;
        if (version != TailnetSettings.LatestVersion && !Version().IsMatch(version))
        {
            problems.Add($"--{ArgumentNames.TailscaleVersion}: must be a version such as {TailnetSettings.DefaultVersion}, or {TailnetSettings.LatestVersion}");
        }

        var tags = Value(source.Argument(ArgumentNames.TailnetTags)) ?? TailnetSettings.DefaultTags;
        if (!tags.Split(',').All(tag => Tag().IsMatch(tag)))
        {
            problems.Add($"--{ArgumentNames.TailnetTags}: must be tags such as tag:ci (comma-separated)");
        }

        var packagesText = Value(source.Argument(ArgumentNames.TailscalePackages)) ?? TailnetSettings.DefaultPackages;
        if (!Uri.TryCreate(packagesText, UriKind.Absolute, out var packages) || packages.Scheme is not ("https" or "http"))
        {
            problems.Add($"--{ArgumentNames.TailscalePackages}: must be an http(s) URL such as {TailnetSettings.DefaultPackages}");
            packages = new Uri(TailnetSettings.DefaultPackages);
        }
        else if (packages.Scheme == "http" && !packages.IsLoopback)
        {
            problems.Add($"--{ArgumentNames.TailscalePackages}: must use https (the download is what tailscaled runs from)");
        }

        var (rootKeys, rootKeysOrigin) = ReadRootKeys(source, problems);

        foreach (var name in new[] { "auth-key", "authkey", "oauth-secret", "ts-oauth-secret" })
        {
            if (source.Argument(name) is not null)
            {
                problems.Add($"--{name}: Tailscale credentials are never taken from the command line; set {EnvironmentNames.TsOAuthSecret}, {EnvironmentNames.TsAuthKey} or {EnvironmentNames.TsOAuthClientId} + {EnvironmentNames.TsAudience} in the environment");
            }
        }

        var settings = new TailnetSettings
        {
            Mode = mode,
            Version = version,
            Tags = tags,
            Packages = new Uri(packages.AbsoluteUri.TrimEnd('/')),
            RootKeysOrigin = rootKeysOrigin ?? TailnetSettings.EmbeddedRootsOrigin,
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
            problems.Add($"--{ArgumentNames.Tailnet}=join: needs {EnvironmentNames.TsOAuthSecret} (OAuth client), {EnvironmentNames.TsOAuthClientId} + {EnvironmentNames.TsAudience} (workload identity federation) or {EnvironmentNames.TsAuthKey} in the environment");
        }

        return settings;
    }

    /// <summary>--tailscale-root-keys: a PEM file of ROOT PUBLIC KEY blocks that replaces the embedded roots (mirrors, tests).</summary>
    private static (IReadOnlyList<byte[]>? Keys, string? Origin) ReadRootKeys(ISettingsSource source, List<string> problems)
    {
        if (Value(source.Argument(ArgumentNames.TailscaleRootKeys)) is not { } path)
        {
            return (null, null);
        }

        var (bytes, problem) = SettingsFile.Read(path);
        if (bytes is null)
        {
            problems.Add($"--{ArgumentNames.TailscaleRootKeys}: {problem}; give a PEM file of {PackageSignature.RootKeyType} blocks");
            return (null, null);
        }

        try
        {
            return (PackageSignature.ParseKeys(System.Text.Encoding.ASCII.GetString(bytes), PackageSignature.RootKeyType), $"root keys from --{ArgumentNames.TailscaleRootKeys}");
        }
        catch (FormatException exception)
        {
            problems.Add($"--{ArgumentNames.TailscaleRootKeys}: not a PEM file of {PackageSignature.RootKeyType} blocks ({exception.Message})");
            return (null, null);
        }
    }

    private static TailnetMode Problem(List<string> problems, string problem, TailnetMode fallback)
    {
        problems.Add(problem);
        return fallback;
    }

    private static string? Value(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    [GeneratedRegex(@"^\d+\.\d+\.\d+$")]
    private static partial Regex Version();

    [GeneratedRegex(@"^tag:[A-Za-z0-9-]+$")]
    private static partial Regex Tag();
}
