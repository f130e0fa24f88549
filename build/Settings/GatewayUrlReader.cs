using System.Globalization;

namespace Build.Settings;

/// <summary>
/// The gateway's base URL: --litellm-url, else LITELLM_URL, else https://$LITELLM_HOST:$LITELLM_PORT;
/// absolute http(s), no credentials, query or fragment, plain http only to loopback and the tailnet.
/// </summary>
public static class GatewayUrlReader
{
    /// <summary>What OpenAI clients want as their base URL; the build adds /v1 itself.</summary>
    public const string OpenAiSuffix = "/v1";

    public static (Uri? Url, string Source) Read(ISettingsSource source, bool allowHttp, List<string> problems, List<string>? notes = null)
    {
        string raw;
        string origin;
        if (SettingsReader.NullIfEmpty(source.Argument(ArgumentNames.LiteLlmUrl)) is { } fromArgument)
        {
            (raw, origin) = (fromArgument, $"--{ArgumentNames.LiteLlmUrl}");
        }
        else if (SettingsReader.NullIfEmpty(source.Environment(EnvironmentNames.LiteLlmUrl)) is { } fromEnvironment)
        {
            (raw, origin) = (fromEnvironment, EnvironmentNames.LiteLlmUrl);
        }
        else if (SettingsReader.NullIfEmpty(source.Environment(EnvironmentNames.LiteLlmHost)) is { } host)
        {
            origin = $"{EnvironmentNames.LiteLlmHost}/{EnvironmentNames.LiteLlmPort}";
            var port = SettingsReader.NullIfEmpty(source.Environment(EnvironmentNames.LiteLlmPort)) ?? SettingsReader.DefaultTailnetPort;
            if (host.Contains("://", StringComparison.Ordinal) || host.Contains('/') || host.Contains(':'))
            {
                problems.Add($"{EnvironmentNames.LiteLlmHost}: must be a bare host name such as gateway.tail1234.ts.net, without scheme, port or path (set " +
                    $"the GitHub secret or environment variable {EnvironmentNames.LiteLlmHost})");
                return (null, origin);
            }

            if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var portNumber) || portNumber is < 1 or > 65535)
            {
                problems.Add($"{EnvironmentNames.LiteLlmPort}: must be a port number from 1 to 65535 (set the GitHub secret or environment variable " +
                    $"{EnvironmentNames.LiteLlmPort})");
                return (null, origin);
            }

            raw = $"https://{host}:{portNumber}";
        }
        else
        {
            return (new Uri(SettingsReader.DefaultUrl), SettingsReader.DefaultSource);
        }

        var where = origin.StartsWith("--", StringComparison.Ordinal) ? origin : $"{origin} (GitHub secret or environment variable)";
        if (!Uri.TryCreate(raw.Trim(), UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https") || string.IsNullOrEmpty(url.Host))
        {
            problems.Add($"{origin}: not an absolute http(s) URL; write it as https://gateway.tail1234.ts.net:8443 (set in {where})");
            return (null, origin);
        }

        if (!string.IsNullOrEmpty(url.UserInfo) || !string.IsNullOrEmpty(url.Query) || !string.IsNullOrEmpty(url.Fragment))
        {
            problems.Add($"{origin}: must not carry credentials, a query or a fragment; the key goes in {EnvironmentNames.LiteLlmApiKey} (set in {where})");
            return (null, origin);
        }

        if (url.Scheme == "http" && !allowHttp && !TailnetAddresses.IsLoopbackOrTailnet(url))
        {
            problems.Add($"{origin}: plain http to a host outside loopback and the tailnet would send the key in clear; use https, or pass " +
                $"--{ArgumentNames.AllowHttp} to accept the risk");
            return (null, origin);
        }

        // A path prefix (LiteLLM's SERVER_ROOT_PATH) is kept; a trailing slash is not. One trailing /v1
        // (an OpenAI client's base URL, often pasted) goes: the requests add /v1 themselves.
        var path = url.AbsolutePath.TrimEnd('/');
        if (path.EndsWith(OpenAiSuffix, StringComparison.OrdinalIgnoreCase))
        {
            path = path[..^OpenAiSuffix.Length];
            notes?.Add($"{origin}: the URL ends in /v1 (an OpenAI client's base URL); using the gateway's root instead, since requests add /v1 themselves");
        }

        var normalised = new UriBuilder(url) { Path = path }.Uri;
        return (normalised, origin);
    }
}
