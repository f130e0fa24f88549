namespace Build.Gateway;

public sealed record ChatOutcome(
    string Detail,
    string? AnsweringModel,
    long LatencyMs,
    long? PromptTokens,
    long? CompletionTokens,
    long? TotalTokens,
    string? FinishReason,
    string? LiteLlmVersion,
    string? ModelId,
    bool ApiBaseHeaderSeen,
    bool Streamed);
