using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Build.Gateway;

/// <summary>Parses gateway answers without trusting their shape: LiteLLM versions and OpenAI-compatible servers differ.</summary>
public static class LenientJson
{
    public static JToken? Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        try
        {
            using var reader = new JsonTextReader(new StringReader(text)) { DateParseHandling = DateParseHandling.None, MaxDepth = 64 };
            var token = JToken.ReadFrom(reader);
            return reader.Read() ? null : token;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>A string or number at the path, as text; null when absent or of another type.</summary>
    public static string? Text(JToken? token, string path)
    {
        var value = token?.SelectToken(path, errorWhenNoMatch: false);
        return value?.Type switch
        {
            JTokenType.String or JTokenType.Integer or JTokenType.Float or JTokenType.Boolean => value.ToString(),
            _ => null,
        };
    }

    public static long? Number(JToken? token, string path) =>
        long.TryParse(Text(token, path), out var number) ? number : null;
}
