namespace LiteLlmStandIn;

/// <summary>How the stand-in behaves. Model names pick chat behaviours, the way LiteLLM's mock_response does per model.</summary>
public sealed record StandInOptions
{
    public int Port { get; init; }

    /// <summary>Serve HTTPS with a certificate from <see cref="TestCertificates"/>; plain HTTP when null.</summary>
    public TestCertificates? Certificates { get; init; }

    public bool ExpiredCertificate { get; init; }

    /// <summary>LiteLLM's master_key; null means no auth is checked (LiteLLM without master_key).</summary>
    public string? MasterKey { get; init; }

    /// <summary>
    /// LiteLLM with a database (the default, as in production): virtual keys, budgets, /key/info. With a database a
    /// wrong key is 401 token_not_found_in_db; without one (LiteLLM with only a master key) it is 400 no_db_connection.
    /// </summary>
    public bool HasDatabase { get; init; } = true;

    /// <summary>A configured database that is down: readiness still answers 200, with db "disconnected".</summary>
    public bool DatabaseDown { get; init; }

    /// <summary>LiteLLM's SERVER_ROOT_PATH: every route moves under it.</summary>
    public string RootPath { get; init; } = string.Empty;

    /// <summary>Older LiteLLM versions sent the error code as a number.</summary>
    public bool ErrorCodeAsNumber { get; init; }

    public LivelinessMode Liveliness { get; init; } = LivelinessMode.Alive;

    public bool Ready { get; init; } = true;

    public TimeSpan Delay { get; init; } = TimeSpan.Zero;

    /// <summary>How long each chat completion takes (counted as in flight), like an upstream model's latency.</summary>
    public TimeSpan ChatDelay { get; init; } = TimeSpan.Zero;

    public string Version { get; init; } = "1.74.9";

    /// <summary>Virtual keys in LiteLLM's database (only with <see cref="HasDatabase"/>): the key and its row.</summary>
    public IReadOnlyDictionary<string, VirtualKey> VirtualKeys { get; init; } = new Dictionary<string, VirtualKey>();

    public IReadOnlyList<string> Models { get; init; } = ["gpt-4", "gpt-4o-mini", "reasoning", "flaky", "rate-limited", "boom", "broken-stream"];
}

public enum LivelinessMode
{
    Alive,
    HtmlPage,
    HugeBody,
    Redirect,
    ServerError,
}

/// <summary>A row of LiteLLM_VerificationToken, the fields /key/info returns (an empty model list means every model).</summary>
public sealed record VirtualKey(
    string? Alias = null,
    DateTimeOffset? Expires = null,
    double Spend = 0,
    double? MaxBudget = null,
    IReadOnlyList<string>? Models = null,
    long? RpmLimit = null,
    long? TpmLimit = null,
    string? UserId = null,
    IReadOnlyList<string>? AllowedRoutes = null);
