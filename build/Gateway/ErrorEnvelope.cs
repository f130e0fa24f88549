using Newtonsoft.Json.Linq;

namespace Build.Gateway;

/// <summary>
/// LiteLLM's error body <c>{"error":{"message","type","param","code"}}</c>: <c>code</c> is a string in
/// current versions and was a number before; <c>message</c> can itself hold a Python dict as text.
/// </summary>
public sealed record ErrorEnvelope(string? Message, string? Type, string? Code)
{
    public static ErrorEnvelope? From(string body)
    {
        var json = LenientJson.Parse(body);
        if (json is not JObject root)
        {
            return null;
        }

        if (root["error"] is JObject error)
        {
            return Of(error);
        }

        // FastAPI's {"detail": "..."} and bare {"error": "..."} shapes.
        var text = LenientJson.Text(root, "error") ?? LenientJson.Text(root, "detail") ?? LenientJson.Text(root, "message");
        return text is null ? null : new ErrorEnvelope(text, null, null);
    }

    /// <summary>The envelope's inner object, <c>{"message","type","param","code"}</c>, wherever it was found.</summary>
    public static ErrorEnvelope Of(JObject error) =>
        new(LenientJson.Text(error, "message") ?? error["message"]?.ToString(Newtonsoft.Json.Formatting.None), LenientJson.Text(error,
            "type"), LenientJson.Text(error, "code"));

    public bool Mentions(string fragment) =>
        (Message?.Contains(fragment, StringComparison.OrdinalIgnoreCase) ?? false)
        || (Type?.Contains(fragment, StringComparison.OrdinalIgnoreCase) ?? false);

    /// <summary>The gateway's message cut to one short line; callers redact it before it is shown.</summary>
    public string ShortMessage
    {
        get => StatusFailures.Shorten((Message ?? Type ?? "no message").ReplaceLineEndings(" ").Trim());
    }
}
