namespace Build.Gateway;

/// <summary>Which outcomes a request may be retried on, within its deadline.</summary>
public enum RetryProfile
{
    /// <summary>One attempt: the answer is meaningful as it is.</summary>
    Once,

    /// <summary>Idempotent reads: retry refused and silent connections, 429, 502, 503 and 504.</summary>
    UntilReady,

    /// <summary>A chat completion costs tokens: retry only what the gateway asks to retry (429, 503) and refused connections.</summary>
    Chat,
}
