using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Build.Security;

namespace Build.Settings;

/// <summary>
/// Reads and validates every setting at once. Problems name the setting and where to set it,
/// never its value (a mistyped URL can hold a host name that must not reach a log).
/// </summary>
public static class SettingsReader
{
    public const string DefaultSource = "default";
    public const string DefaultUrl = "http://localhost:4000";
    public const string DefaultModel = "gpt-4";

    /// <summary>The --model value that means every model the gateway lists (at most <see cref="MostModels"/>).</summary>
    public const string AllModels = "all";

    public const int MostModels = 50;
    public const string DefaultHealthPath = "/health/liveliness";
    public const string DefaultReportPath = "artifacts/verify-report.json";
    public const string DefaultTailnetPort = "8443";
    public const string DefaultWorkflows = ".github/workflows";
    public const int DefaultKeyExpiryWarnDays = 14;
    public const int DefaultMaxTokens = 16;
    public static readonly TimeSpan LaptopDeadline = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan CiDeadline = TimeSpan.FromSeconds(60);

    public static (VerifySettings? Settings, IReadOnlyList<string> Problems) Read(ISettingsSource source, IEnumerable<string>? otherKnownArguments = null)
    {
        var problems = new List<string>();
        UnknownOptions.Report(source, otherKnownArguments ?? [], problems);

        var isGitHubActions = IsTrue(source.Environment(EnvironmentNames.GitHubActions));
        var isCi = isGitHubActions || IsTrue(source.Environment(EnvironmentNames.Ci));
        var allowHttp = ReadFlag(source, ArgumentNames.AllowHttp, problems);
        var notices = new List<string>();
        var (url, urlSource) = GatewayUrlReader.Read(source, allowHttp, problems, notices);

        var settings = new VerifySettings
        {
            GatewayUrl = url ?? new Uri(DefaultUrl),
            GatewayUrlSource = urlSource,
            ApiKey = ReadApiKey(source, problems),
            Model = ReadModel(source, problems),
            HealthPath = ReadHealthPath(source, problems),
            ExtraTrust = ReadCaCert(source, problems),
            Insecure = ReadFlag(source, ArgumentNames.Insecure, problems),
            AllowHttp = allowHttp,
            Deadline = ReadDeadline(source, isCi, problems),
            SweepDeadline = ReadSweepDeadline(source, ReadDeadline(source, isCi, []), problems),
            ReportPath = ReadReportPath(source, problems),
            MaxTokens = ReadWholeNumber(source, ArgumentNames.MaxTokens, 1, 32768, DefaultMaxTokens, problems, example: 64),
            KeyPolicy = ReadKeyPolicy(source, problems),
            KeyExpiryWarnDays = ReadWholeNumber(source, ArgumentNames.KeyExpiryWarnDays, 0, 3650, DefaultKeyExpiryWarnDays, problems),
            DeepHealth = ReadFlag(source, ArgumentNames.DeepHealth, problems),
            Stream = ReadFlag(source, ArgumentNames.Stream, problems),
            NoColor = ReadFlag(source, ArgumentNames.NoColor, problems),
            IsGitHubActions = isGitHubActions,
            IsCi = isCi,
            StepSummaryPath = NullIfEmpty(source.Environment(EnvironmentNames.GitHubStepSummary)),
            WorkflowsDirectory = ReadWorkflows(source, problems),
            WorkflowsGiven = NullIfEmpty(source.Argument(ArgumentNames.Workflows)) is not null,
            HardenBlocks = ReadBlocks(source, ArgumentNames.Harden, problems),
            HardenProfile = ReadProfile(source, problems),
            Egress = ReadBlocks(source, ArgumentNames.Egress, problems) ? EgressMode.Block : EgressMode.Audit,
            SarifPath = ReadOutputPath(source, ArgumentNames.Sarif, "artifacts/harden.sarif", problems),
            JUnitPath = ReadOutputPath(source, ArgumentNames.JUnit, "artifacts/verify-junit.xml", problems),
            HardenAgentDirectory = NullIfEmpty(source.Argument(ArgumentNames.HardenAgentDir)) ?? Build.Hardening.HardenRunnerState.DefaultDirectory,
            Tailnet = TailnetSettingsReader.Read(source, problems),
            Notices = notices,
        };

        return (problems.Count == 0 ? settings : null, problems);
    }

    private static string? ReadApiKey(ISettingsSource source, List<string> problems)
    {
        foreach (var option in new[] { "api-key", "litellm-api-key" }.Where(option => source.Argument(option) is not null))
        {
            problems.Add($"--{option}: keys are never taken from the command line (other users can read it); set the environment variable {EnvironmentNames.LiteLlmApiKey} instead");
        }

        var key = NullIfEmpty(source.Environment(EnvironmentNames.LiteLlmApiKey));
        if (key is not null && key.Any(character => char.IsControl(character) || character == ' '))
        {
            problems.Add($"{EnvironmentNames.LiteLlmApiKey}: contains spaces or control characters (a pasted newline?); set the GitHub secret or environment variable again");
        }

        return key;
    }

    private static string ReadModel(ISettingsSource source, List<string> problems)
    {
        var model = NullIfEmpty(source.Argument(ArgumentNames.Model)) ?? NullIfEmpty(source.Environment(EnvironmentNames.LiteLlmModel)) ?? DefaultModel;
        var names = ModelNames(model);
        if (names.Any(name => name.Any(character => char.IsControl(character) || char.IsWhiteSpace(character))))
        {
            problems.Add($"--{ArgumentNames.Model} / {EnvironmentNames.LiteLlmModel}: a model name has no spaces or control characters");
        }
        else if (names.Count == 0)
        {
            problems.Add($"--{ArgumentNames.Model} / {EnvironmentNames.LiteLlmModel}: give a model, a comma-separated list of models, or {AllModels}");
        }
        else if (names.Count > 1 && names.Contains(AllModels, StringComparer.OrdinalIgnoreCase))
        {
            problems.Add($"--{ArgumentNames.Model} / {EnvironmentNames.LiteLlmModel}: {AllModels} stands alone (it means every model the gateway lists)");
        }
        else if (names.Count > MostModels)
        {
            problems.Add($"--{ArgumentNames.Model} / {EnvironmentNames.LiteLlmModel}: at most {MostModels} models");
        }

        return model;
    }

    /// <summary>The models of a --model value: comma-separated, trimmed, each once, in the order given.</summary>
    public static IReadOnlyList<string> ModelNames(string value) =>
        value.Split(',').Select(name => name.Trim(' ')).Where(name => name.Length > 0).Distinct(StringComparer.Ordinal).ToList();

    private static string ReadHealthPath(ISettingsSource source, List<string> problems)
    {
        var path = NullIfEmpty(source.Argument(ArgumentNames.HealthPath)) ?? DefaultHealthPath;
        if (!path.StartsWith('/') || path.Contains("://", StringComparison.Ordinal) || path.Any(char.IsWhiteSpace))
        {
            problems.Add($"--{ArgumentNames.HealthPath}: must be a path starting with '/', such as {DefaultHealthPath}");
        }

        return path;
    }

    private static X509Certificate2Collection? ReadCaCert(ISettingsSource source, List<string> problems)
    {
        var (path, origin) = NullIfEmpty(source.Argument(ArgumentNames.CaCert)) is { } fromArgument
            ? (fromArgument, $"--{ArgumentNames.CaCert}")
            : (NullIfEmpty(source.Environment(EnvironmentNames.LiteLlmCaCert)), EnvironmentNames.LiteLlmCaCert);
        if (path is null)
        {
            return null;
        }

        var (bytes, problem) = SettingsFile.Read(path);
        if (bytes is null)
        {
            problems.Add($"{origin}: {problem}; give the path of the CA certificate (PEM or DER) that signed the gateway's certificate");
            return null;
        }

        try
        {
            var collection = new X509Certificate2Collection();
            var text = System.Text.Encoding.UTF8.GetString(bytes);
            if (text.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
            {
                collection.ImportFromPem(text);
            }
            else
            {
                collection.Add(X509CertificateLoader.LoadCertificate(bytes));
            }

            if (collection.Count == 0)
            {
                throw new CryptographicException("no certificate");
            }

            return collection;
        }
        catch (CryptographicException)
        {
            problems.Add($"{origin}: the file holds no readable certificate; give a PEM or DER CA certificate");
            return null;
        }
    }

    private static TimeSpan ReadDeadline(ISettingsSource source, bool isCi, List<string> problems)
    {
        var fallback = isCi ? CiDeadline : LaptopDeadline;
        if (source.Argument(ArgumentNames.Deadline) is not { } raw)
        {
            return fallback;
        }

        if (!double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || double.IsNaN(seconds) || seconds is < 1 or > 3600)
        {
            problems.Add($"--{ArgumentNames.Deadline}: must be a number of seconds from 1 to 3600, such as --{ArgumentNames.Deadline}=60");
            return fallback;
        }

        return TimeSpan.FromSeconds(seconds);
    }

    private static TimeSpan ReadSweepDeadline(ISettingsSource source, TimeSpan deadline, List<string> problems)
    {
        if (source.Argument(ArgumentNames.SweepDeadline) is not { } raw)
        {
            return deadline * 2;
        }

        if (!double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || double.IsNaN(seconds) || seconds is < 1 or > 7200)
        {
            problems.Add($"--{ArgumentNames.SweepDeadline}: must be a number of seconds from 1 to 7200, such as --{ArgumentNames.SweepDeadline}=120");
            return deadline * 2;
        }

        return TimeSpan.FromSeconds(seconds);
    }

    /// <summary>--workflows names a folder that must exist; the default is the repository's own .github/workflows.</summary>
    private static string ReadWorkflows(ISettingsSource source, List<string> problems)
    {
        if (NullIfEmpty(source.Argument(ArgumentNames.Workflows)) is not { } given)
        {
            return RepositoryRoot.Resolve(DefaultWorkflows);
        }

        if (!Directory.Exists(given))
        {
            problems.Add($"--{ArgumentNames.Workflows}: no such folder; give the folder that holds the workflow files (default {DefaultWorkflows} in the repository)");
        }

        return Path.GetFullPath(given);
    }

    /// <summary>An optional file the run writes: a file path, outside the build program's sources; null when not given or not usable.</summary>
    private static string? ReadOutputPath(ISettingsSource source, string name, string example, List<string> problems)
    {
        if (source.Argument(name) is not { } raw)
        {
            return null;
        }

        if (raw.Length == 0 || raw.IndexOfAny(Path.GetInvalidPathChars()) >= 0 || raw.EndsWith('/') || Directory.Exists(raw))
        {
            problems.Add($"--{name}: must be a file path, such as --{name}={example}");
            return null;
        }

        if (RepositoryRoot.IsAmongBuildInputs(raw))
        {
            problems.Add($"--{name}: is inside build/, the build program's sources (every run would rebuild it); write it elsewhere, such as --{name}={example}");
        }

        return Path.GetFullPath(raw);
    }

    /// <summary>The report path alone, for a run whose other settings are malformed; null when the one given is malformed too.</summary>
    public static string? ReportPathOrNull(ISettingsSource source)
    {
        var problems = new List<string>();
        var path = ReadReportPath(source, problems);
        return problems.Count == 0 ? path : null;
    }

    private static string ReadReportPath(ISettingsSource source, List<string> problems) =>
        ReadOutputPath(source, ArgumentNames.Report, DefaultReportPath, problems) ?? RepositoryRoot.Resolve(DefaultReportPath);

    private static int ReadWholeNumber(ISettingsSource source, string name, int minimum, int maximum, int fallback, List<string> problems, int? example = null)
    {
        if (source.Argument(name) is not { } raw)
        {
            return fallback;
        }

        if (!int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < minimum || value > maximum)
        {
            problems.Add($"--{name}: must be a whole number from {minimum} to {maximum}, such as --{name}={example ?? fallback}");
            return fallback;
        }

        return value;
    }

    private static KeyPolicy ReadKeyPolicy(ISettingsSource source, List<string> problems)
    {
        switch (source.Argument(ArgumentNames.KeyPolicy)?.ToLowerInvariant())
        {
            case null or "enforce":
                return KeyPolicy.Enforce;
            case "warn":
                return KeyPolicy.Warn;
            case "off":
                return KeyPolicy.Off;
            default:
                problems.Add($"--{ArgumentNames.KeyPolicy}: must be enforce, warn or off, such as --{ArgumentNames.KeyPolicy}=warn");
                return KeyPolicy.Enforce;
        }
    }

    private static bool ReadFlag(ISettingsSource source, string name, List<string> problems)
    {
        var raw = source.Argument(name);
        switch (raw?.ToLowerInvariant())
        {
            case null:
                return false;
            case "" or "true" or "yes" or "1":
                return true;
            case "false" or "no" or "0":
                return false;
            default:
                problems.Add($"--{name}: is a switch; write --{name} or --{name}=false");
                return false;
        }
    }

    /// <summary>An audit|block option (--harden, --egress): true for block, its default.</summary>
    private static bool ReadBlocks(ISettingsSource source, string name, List<string> problems)
    {
        switch (source.Argument(name)?.ToLowerInvariant())
        {
            case null or "block":
                return true;
            case "audit":
                return false;
            default:
                problems.Add($"--{name}: must be audit or block, such as --{name}=audit");
                return true;
        }
    }

    private static Build.Hardening.AuditProfile ReadProfile(ISettingsSource source, List<string> problems)
    {
        var value = source.Argument(ArgumentNames.HardenProfile);
        if (value is null)
        {
            return Build.Hardening.AuditProfile.Project;
        }

        if (Build.Hardening.AuditProfile.Named(value) is { } profile)
        {
            return profile;
        }

        problems.Add($"--{ArgumentNames.HardenProfile}: must be {string.Join(" or ", Build.Hardening.AuditProfile.All.Select(known => known.Name))}, such as --{ArgumentNames.HardenProfile}=audit");
        return Build.Hardening.AuditProfile.Project;
    }

    private static bool IsTrue(string? value) => value is not null && value.Equals("true", StringComparison.OrdinalIgnoreCase);

    internal static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
