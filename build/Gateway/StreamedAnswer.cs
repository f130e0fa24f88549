using System.Text;
using Newtonsoft.Json.Linq;

namespace Build.Gateway;

/// <summary>Reads server-sent events: <c>data: {chunk}</c> frames ending with <c>data: [DONE]</c>; an error can arrive mid-stream.</summary>
internal static class StreamedAnswer
{
    public static ParsedAnswer Parse(string body)
    {
        var content = new StringBuilder();
        string? finish = null, model = null;
        JObject? usage = null;
        var done = false;
        foreach (var line in body.ReplaceLineEndings("\n").Split('\n'))
        {
            if (!line.StartsWith("data:", StringComparison.Ordinal))
            {
                continue;
            }

            var data = line[5..].Trim();
            if (data == "[DONE]")
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
            usage = chunk["usage"] as JObject ?? usage;
            if (chunk["choices"] is JArray { Count: > 0 } choices && choices[0] is JObject choice)
            {
                content.Append(ChatProbe.ContentText((choice["delta"] as JObject)?["content"]));
                finish = LenientJson.Text(choice, "finish_reason") ?? finish;
            }
        }

        if (!done)
        {
            throw new CheckFailedException(Failure.Of(FailureClass.StreamBroken, "The stream ended without data: [DONE]"));
        }

        return new ParsedAnswer(content.ToString(), finish, model, usage);
    }
}
