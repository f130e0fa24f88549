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
        var allowHttp = SettingsCatalog.AllowHttp.Read(source, problems);
        var notes = new List<string>();
        var (url, urlSource) = GatewayUrlReader.Read(source, allowHttp, problems, notes);

        var fallbackDeadline = isCi ? CiDeadline : LaptopDeadline;
        var settings = new VerifySettings
        {
            GatewayUrl = url ?? new Uri(DefaultUrl),
            GatewayUrlSource = urlSource,
            ApiKey = ReadApiKey(source, problems),
            Model = SettingsCatalog.Model.Read(source, problems),
            HealthPath = SettingsCatalog.HealthPath.Read(source, problems),
            ExtraTrust = SettingsCatalog.CaCert.Read(source, problems),
            Insecure = SettingsCatalog.Insecure.Read(source, problems),
            AllowHttp = allowHttp,
            Deadline = SettingsCatalog.Deadline.Read(source, problems, fallbackDeadline),
            // Its default is twice the deadline, read again here (without its problem) so problems keep the table's order.
            SweepDeadline = SettingsCatalog.SweepDeadline.Read(source, problems, SettingsCatalog.Deadline.Read(source, [], fallbackDeadline) * 2),
            ReportPath = ReadReportPath(source, problems),
            MaxTokens = SettingsCatalog.MaxTokens.Read(source, problems),
            KeyPolicy = SettingsCatalog.KeyPolicy.Read(source, problems),
            KeyExpiryWarnDays = SettingsCatalog.KeyExpiryWarnDays.Read(source, problems),
            DeepHealth = SettingsCatalog.DeepHealth.Read(source, problems),
            Stream = SettingsCatalog.Stream.Read(source, problems),
            NoColor = SettingsCatalog.NoColor.Read(source, problems),
            IsGitHubActions = isGitHubActions,
            IsCi = isCi,
            StepSummaryPath = NullIfEmpty(source.Environment(EnvironmentNames.GitHubStepSummary)),
            WorkflowsDirectory = SettingsCatalog.Workflows.Read(source, problems, RepositoryRoot.Resolve(DefaultWorkflows)),
            WorkflowsGiven = SettingsCatalog.Workflows.IsGiven(source),
            HardenBlocks = SettingsCatalog.HardenBlocks.Read(source, problems),
            HardenProfile = SettingsCatalog.HardenProfile.Read(source, problems),
            Egress = SettingsCatalog.Egress.Read(source, problems),
            SarifPath = SettingsCatalog.Sarif.Read(source, problems),
            JUnitPath = SettingsCatalog.JUnit.Read(source, problems),
            HardenAgentDirectory = SettingsCatalog.HardenAgentDir.Read(source, problems),
            Tailnet = TailnetSettingsReader.Read(source, problems),
            Notes = notes,
        };

        return (problems.Count == 0 ? settings : null, problems);
    }

    private static string? ReadApiKey(ISettingsSource source, List<string> problems)
    {
        foreach (var option in new[] { "api-key", "litellm-api-key" }.Where(option => source.Argument(option) is not null))
        {
            problems.Add($"--{option}: keys are never taken from the command line (other users can read it); set the environment variable " +
                $"{EnvironmentNames.LiteLlmApiKey} instead");
        }

        return NullIfEmpty(SettingsCatalog.ApiKey.Read(source, problems));
    }

    /// <summary>What is wrong with a --model value, or null.</summary>
    internal static string? ModelProblem(string model)
    {
        var names = ModelNames(model);
        if (names.Any(name => name.Any(character => char.IsControl(character) || char.IsWhiteSpace(character))))
        {
            return "a model name has no spaces or control characters";
        }

        if (names.Count == 0)
        {
            return $"give a model, a comma-separated list of models, or {AllModels}";
        }

        if (names.Count > 1 && names.Contains(AllModels, StringComparer.OrdinalIgnoreCase))
        {
            return $"{AllModels} stands alone (it means every model the gateway lists)";
        }

        return names.Count > MostModels ? $"at most {MostModels} models" : null;
    }

    /// <summary>The models of a --model value: comma-separated, trimmed, each once, in the order given.</summary>
    public static IReadOnlyList<string> ModelNames(string value) =>
        value.Split(',').Select(name => name.Trim(' ')).Where(name => name.Length > 0).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>The report path alone, for a run whose other settings are malformed; null when the one given is malformed too.</summary>
    public static string? ReportPathOrNull(ISettingsSource source)
    {
        var problems = new List<string>();
        var path = ReadReportPath(source, problems);
        return problems.Count == 0 ? path : null;
    }

    private static string ReadReportPath(ISettingsSource source, List<string> problems) =>
        SettingsCatalog.Report.Read(source, problems) ?? RepositoryRoot.Resolve(DefaultReportPath);

    private static bool IsTrue(string? value) => value is not null && value.Equals("true", StringComparison.OrdinalIgnoreCase);

    internal static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
