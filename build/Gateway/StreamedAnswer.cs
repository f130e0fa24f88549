using System.Text;
using Newtonsoft.Json.Linq;

namespace Build.Gateway;

/// <summary>
/// Reads server-sent events (the WHATWG event-stream format: <c>event:</c> and <c>data:</c> fields, a blank line
/// ends an event, <c>:</c> starts a comment). Each data is a JSON chunk until <c>data: [DONE]</c>; an error can
/// arrive as <c>event: error</c> or as a chunk holding <c>error</c>, and either fails the stream.
/// </summary>
internal static class StreamedAnswer
{
    public static ParsedAnswer Parse(string body)
    {
        var content = new StringBuilder();
        string? finish = null, model = null, objectType = null;
        JObject? usage = null;
        var done = false;
        foreach (var (eventType, data) in Events(body))
        {
            if (eventType == "error")
            {
                var said = string.IsNullOrWhiteSpace(data) ? "no message" : ErrorEnvelope.From(data)?.ShortMessage ?? StatusFailures.FirstLine(data);
                throw new CheckFailedException(Failure.Of(FailureClass.StreamBroken, $"The stream carried an error event: {said}"));
            }

            if (data.Trim() == "[DONE]")
            {
                done = true;
                break;
            }

            if (LenientJson.Parse(data) is not JObject chunk)
            {
                throw new CheckFailedException(Failure.Of(FailureClass.StreamBroken, "A stream frame was not JSON"));
            }

            if (chunk["error"] is not null)
            {
                var envelope = ErrorEnvelope.From(data);
                throw new CheckFailedException(Failure.Of(FailureClass.StreamBroken, $"The stream carried an error: {envelope?.ShortMessage ?? "no message"}"));
            }

            model ??= LenientJson.Text(chunk, "model");
            var type = LenientJson.Text(chunk, "object");
            objectType = objectType is null || objectType == type ? type : "(mixed)";
            usage = chunk["usage"] as JObject ?? usage;
            if (chunk["choices"] is JArray { Count: > 0 } choices && choices[0] is JObject choice)
            {
                content.Append(ChatProbe.ContentText((choice["delta"] as JObject)?["content"]));
                finish = LenientJson.Text(choice, "finish_reason") ?? finish;
            }

            if (ChatProbe.ErrorIn(chunk) is { } error)
            {
                throw new CheckFailedException(Failure.Of(FailureClass.StreamBroken, $"The stream carried an error: {error}"));
            }
        }

        if (!done && finish is null)
        {
            throw new CheckFailedException(Failure.Of(FailureClass.StreamBroken, "The stream ended without data: [DONE] or a finish_reason"));
        }

        return new ParsedAnswer(content.ToString(), finish, model, usage, objectType, null);
    }

    /// <summary>Each event's type ("message" unless given) and its data lines joined; events without data are dropped.</summary>
    private static IEnumerable<(string Type, string Data)> Events(string body)
    {
        string? type = null;
        var data = new List<string>();
        foreach (var line in body.ReplaceLineEndings("\n").Split('\n').Append(string.Empty))
        {
            if (line.Length == 0)
            {
                if (data.Count > 0)
                {
                    yield return (type ?? "message", string.Join('\n', data));
                }

                (type, data) = (null, []);
                continue;
            }

            if (line.StartsWith(':'))
            {
                continue;
            }

            var colon = line.IndexOf(':');
            var (field, value) = colon < 0 ? (line, string.Empty) : (line[..colon], line[(colon + 1)..]);
            value = value.StartsWith(' ') ? value[1..] : value;
            switch (field)
            {
                case "event":
                    type = value;
                    break;
                case "data":
                    data.Add(value);
                    break;
            }
        }
    }
}
