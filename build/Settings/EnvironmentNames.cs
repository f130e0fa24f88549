namespace Build.Settings;

/// <summary>Environment variables the build reads. Secrets come only from here, never from argv.</summary>
public static class EnvironmentNames
{
    public const string LiteLlmUrl = "LITELLM_URL";
    public const string LiteLlmHost = "LITELLM_HOST";
    public const string LiteLlmPort = "LITELLM_PORT";
    public const string LiteLlmApiKey = "LITELLM_API_KEY";
    public const string LiteLlmModel = "LITELLM_MODEL";
    public const string LiteLlmCaCert = "LITELLM_CA_CERT";

    public const string GitHubActions = "GITHUB_ACTIONS";
    public const string GitHubStepSummary = "GITHUB_STEP_SUMMARY";
    public const string Ci = "CI";
}
