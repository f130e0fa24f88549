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

    public const string TsOAuthClientId = "TS_OAUTH_CLIENT_ID";
    public const string TsOAuthSecret = "TS_OAUTH_SECRET";
    public const string TsAudience = "TS_AUDIENCE";
    public const string TsAuthKey = "TS_AUTHKEY";

    public const string GitHubActions = "GITHUB_ACTIONS";
    public const string GitHubRepository = "GITHUB_REPOSITORY";
    public const string GitHubRunId = "GITHUB_RUN_ID";
    public const string GitHubRunAttempt = "GITHUB_RUN_ATTEMPT";
    public const string RunnerTemp = "RUNNER_TEMP";
    public const string RunnerToolCache = "RUNNER_TOOL_CACHE";
    public const string OidcRequestUrl = "ACTIONS_ID_TOKEN_REQUEST_URL";
    public const string OidcRequestToken = "ACTIONS_ID_TOKEN_REQUEST_TOKEN";
    public const string ActionsRuntimeToken = "ACTIONS_RUNTIME_TOKEN";
    public const string GitHubToken = "GITHUB_TOKEN";
    public const string GitHubStepSummary = "GITHUB_STEP_SUMMARY";
    public const string GitHubEventPath = "GITHUB_EVENT_PATH";
    public const string Ci = "CI";
}
