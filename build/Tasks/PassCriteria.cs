namespace Build.Tasks;

/// <summary>
/// What must be present for each check to pass: positive evidence, never the absence of a known failure.
/// The README's table is these rows (a test compares them), and each row names the code that enforces it.
/// </summary>
public static class PassCriteria
{
    public static IReadOnlyList<(string Check, string MustHold)> All { get; } =
    [
        (nameof(Harden), "at least one workflow or composite action was audited (an empty folder is skipped, and fails a run of Harden alone); under " +
            "`--harden=block` no finding of error severity"),
        (nameof(ConnectTailnet),
            "the gateway is a peer of this node, online, and answers `tailscale ping`; a loopback or non-tailnet gateway, or " +
                "`--tailnet=off`, skips it (nothing to prove)"),
        (nameof(HealthCheck),
            "the health path answers 2xx; on LiteLLM's paths as LiteLLM does (the JSON string `\"I'm alive!\"` or an `x-litellm-version` header); readiness " +
                "answers `status` healthy with `db` connected or `Not connected` (no database configured), never `disconnected`; with `--deep-health`, " +
                "`/health` lists no unhealthy model"),
        (nameof(KeyCheck), "`/key/info` gives a verdict on the key and, under `--key-policy=enforce`, no finding of error severity; a lookup that gives no " +
            "verdict (no database, 403, 429, 5xx, timeout) fails under enforce, is a warning under warn; off skips it"),
        (nameof(ChatSmoke), "the answer is LiteLLM's (an `x-litellm-*` header) or OpenAI's (`object` `chat.completion`, or `chat.completion.chunk` per " +
            "frame), differs from the health path's body, holds no `error` anywhere, ends with `finish_reason` stop, length, tool_calls, function_call or " +
            "content_filter (a warning), and `choices[0].message.content` (or the streamed deltas) is non-empty text; a stream has no `event: error` and " +
                    "ends with `[DONE]` or a finish_reason"),
    ];

    /// <summary>The README's rows, as Markdown.</summary>
    public static IEnumerable<string> MarkdownRows => All.Select(row => $"| {row.Check} | {row.MustHold} |");
}
