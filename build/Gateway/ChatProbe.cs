using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Build.Gateway;

/// <summary>
/// One real chat completion. Passes only on positive proof: the answer is LiteLLM's (an x-litellm-* header) or
/// OpenAI's shape (<c>object</c> "chat.completion", or "chat.completion.chunk" per streamed frame), carries no
/// <c>error</c> anywhere, ends with a known <c>finish_reason</c>, and <c>choices[0].message.content</c> (or the
/// streamed deltas) is non-empty text.
/// </summary>
public sealed class ChatProbe(GatewayClient client)
{
    /// <summary>OpenAI's finish reasons for a completed answer (function_call is tool_calls' older name).</summary>
    public static readonly IReadOnlyList<string> FinishReasons = ["stop", "length", "tool_calls", "content_filter", "function_call"];

    /// <summary>Headers LiteLLM sets on every answer it produced (docs/my-website/docs/proxy/response_headers.md).</summary>
    private static readonly string[] LiteLlmHeaders = ["x-litellm-version", "x-litellm-call-id", "x-litellm-model-id"];

    public const string CompletionsPath = "/v1/chat/completions";
    public const string ModelsPath = "/v1/models";
    public const string Prompt = "Reply with the single word: pong";

    /// <param name="healthAnswer">The health path's body: a chat answer that is the same body is a catch-all's.</param>
    public async Task<ChatOutcome> RunAsync(string model, int maxTokens, bool stream, CancellationToken cancellationToken, string? healthAnswer = null)
    {
        var request = new JObject
        {
            ["model"] = model,
            ["messages"] = new JArray(new JObject { ["role"] = "user", ["content"] = Prompt }),
            ["max_tokens"] = maxTokens,
        };
        if (stream)
        {
            request["stream"] = true;
        }

        var answer = await client.PostJsonAsync(CompletionsPath, request.ToString(Formatting.None), RetryProfile.Chat, cancellationToken);
        if (!answer.IsSuccess || answer.TooLarge)
        {
            throw new CheckFailedException(await ClassifyErrorAsync(answer, model, cancellationToken));
        }

        if (healthAnswer is { Length: > 0 } && answer.Body.Trim() == healthAnswer.Trim())
        {
            throw new CheckFailedException(Failure.Of(FailureClass.NotGateway,
                $"{CompletionsPath} answered with the same body as the health path: a catch-all, not a chat API"));
        }

        var streamed = stream || (answer.ContentType?.Contains("event-stream", StringComparison.OrdinalIgnoreCase) ?? false);
        var parsed = streamed ? StreamedAnswer.Parse(answer.Body) : PlainAnswer(answer);
        Judge(parsed, answer, model, maxTokens, streamed);

        var usage = parsed.Usage;
        var latency = (long)answer.Elapsed.TotalMilliseconds;
        var tokens = usage is null
            ? "usage not reported"
            : $"{LenientJson.Number(usage, "prompt_tokens")}/{LenientJson.Number(usage, "completion_tokens")}/"
                + $"{LenientJson.Number(usage, "total_tokens")} tokens";
        return new ChatOutcome(
            $"{parsed.Model ?? model} answered in {latency} ms ({tokens}{(stream ? ", streamed" : string.Empty)})",
            parsed.Model,
            latency,
            LenientJson.Number(usage, "prompt_tokens"),
            LenientJson.Number(usage, "completion_tokens"),
            LenientJson.Number(usage, "total_tokens"),
            parsed.FinishReason,
            answer.Header("x-litellm-version"),
            answer.Header("x-litellm-model-id"),
            answer.Header("x-litellm-model-api-base") is not null,
            stream);
    }

    /// <summary>What must be present for a pass; the first thing missing fails with its reason.</summary>
    private static void Judge(ParsedAnswer parsed, GatewayResponse answer, string model, int maxTokens, bool streamed)
    {
        var fromLiteLlm = LiteLlmHeaders.Any(header => answer.Header(header) is not null);
        var expected = streamed ? "chat.completion.chunk" : "chat.completion";
        if (!fromLiteLlm && parsed.ObjectType != expected)
        {
            var found = parsed.ObjectType is null ? "no object field" : $"object \"{parsed.ObjectType}\"";
            throw new CheckFailedException(Failure.Of(FailureClass.NotGateway,
                $"{CompletionsPath} answered {answer.Code} with neither LiteLLM's x-litellm-* headers nor an OpenAI {expected} ({found})"));
        }

        if (parsed.Error is { } error)
        {
            throw new CheckFailedException(Failure.Of(FailureClass.GatewayError,
                $"{CompletionsPath} answered {answer.Code}, but the answer carries an error: {error}"));
        }

        if (parsed.FinishReason is not { } finish || !FinishReasons.Contains(finish))
        {
            throw new CheckFailedException(parsed.FinishReason == "error"
                ? Failure.Of(FailureClass.GatewayError, $"{model} ended its answer with finish_reason \"error\"")
                : Failure.Of(FailureClass.InvalidAnswer, parsed.FinishReason is null
                    ? $"{CompletionsPath} answered {answer.Code} without a finish_reason"
                    : $"{CompletionsPath} answered {answer.Code} with finish_reason \"{parsed.FinishReason}\", not one of {string.Join(", ", FinishReasons)}"));
        }

        if (string.IsNullOrWhiteSpace(parsed.Content))
        {
            throw new CheckFailedException(finish == "length"
                ? Failure.Of(FailureClass.EmptyContent, $"{model} returned empty content with finish_reason \"length\" at max_tokens={maxTokens}")
                : Failure.Of(FailureClass.InvalidAnswer, $"{CompletionsPath} answered {answer.Code} without text in choices[0].message.content"));
        }
    }

    /// <summary>The first error the answer carries anywhere (an <c>error</c> field that is set), in a few words.</summary>
    internal static string? ErrorIn(JToken? json)
    {
        var error = (json as JContainer)?.DescendantsAndSelf().OfType<JProperty>()
            .FirstOrDefault(property => property.Name == "error" && property.Value.Type is not (JTokenType.Null or JTokenType.Undefined or JTokenType.Boolean)
                && !(property.Value.Type == JTokenType.String && string.IsNullOrWhiteSpace((string?)property.Value)))?.Value;
        return error switch
        {
            null => null,
            JObject envelope => ErrorEnvelope.Of(envelope).ShortMessage,
            _ => StatusFailures.FirstLine(error.ToString()),
        };
    }

    private static ParsedAnswer PlainAnswer(GatewayResponse answer)
    {
        var json = LenientJson.Parse(answer.Body) as JObject;
        if (json is null || answer.LooksLikeHtml)
        {
            throw new CheckFailedException(Failure.Of(FailureClass.NotGateway,
                $"{CompletionsPath} answered {answer.Code} with a body that is not a JSON object"));
        }

        var choice = json["choices"] is JArray { Count: > 0 } choices ? choices[0] as JObject : null;
        return new ParsedAnswer(
            ContentText((choice?["message"] as JObject)?["content"]),
            LenientJson.Text(choice, "finish_reason"),
            LenientJson.Text(json, "model"),
            json["usage"] as JObject,
            LenientJson.Text(json, "object"),
            ErrorIn(json));
    }

    /// <summary>Content is usually a string; some OpenAI-compatible servers send a list of text parts.</summary>
    public static string? ContentText(JToken? content) =>
        content switch
        {
            { Type: JTokenType.String } => content.Value<string>(),
            JArray parts => string.Concat(parts.OfType<JObject>().Select(part => LenientJson.Text(part, "text"))),
            _ => null,
        };

    private async Task<Failure> ClassifyErrorAsync(GatewayResponse answer, string model, CancellationToken cancellationToken)
    {
        var envelope = ErrorEnvelope.From(answer.Body);
        var unknownModel = answer.Code is 400 or 404
            && envelope is not null
            && (envelope.Mentions("Invalid model name") || envelope.Mentions("model_not_found") || envelope.Mentions("does not exist"));
        if (!unknownModel)
        {
            return StatusFailures.Classify(answer, CompletionsPath, client.HasKey);
        }

        var available = await AvailableModelsAsync(cancellationToken);
        var listing = available is null ? "the model list could not be read" : available.Count == 0 ? "the gateway " +
            "lists no models for this key" : $"available: {ListOf(available)}";
        return Failure.Of(FailureClass.UnknownModel, $"The gateway does not serve model \"{model}\" ({listing})");
    }

    /// <summary>At most 20 names, each cut, then how many more: a gateway's list can be anything.</summary>
    public static string ListOf(IReadOnlyList<string> names, int most = 20)
    {
        var shown = string.Join(", ", names.Take(most).Select(name => name.Length <= 80 ? name : name[..77] + "..."));
        return names.Count > most ? $"{shown} and {names.Count - most} more" : shown;
    }

    /// <summary>The ids <c>GET /v1/models</c> lists for the key, each once; a failure is classified.</summary>
    public async Task<IReadOnlyList<string>> ListModelsAsync(CancellationToken cancellationToken)
    {
        var answer = await client.GetAsync(ModelsPath, withKey: true, RetryProfile.Once, cancellationToken);
        if (!answer.IsSuccess || answer.TooLarge)
        {
            throw new CheckFailedException(StatusFailures.Classify(answer, ModelsPath, client.HasKey));
        }

        if ((LenientJson.Parse(answer.Body) as JObject)?["data"] is not JArray data)
        {
            throw new CheckFailedException(Failure.Of(FailureClass.NotGateway, $"{ModelsPath} answered {answer.Code} without an OpenAI model list"));
        }

        // An id is a string (OpenAI's Model object): a number would be asked for as model "5".
        if (data.FirstOrDefault(entry => entry is not JObject || entry["id"]?.Type != JTokenType.String) is { } odd)
        {
            throw new CheckFailedException(Failure.Of(FailureClass.InvalidAnswer,
                $"{ModelsPath} listed a model whose id is not a string " +
                    $"({(odd is JObject ? odd["id"]?.Type.ToString().ToLowerInvariant() ?? "missing" : odd.Type.ToString().ToLowerInvariant())})"));
        }

        var ids = data.Select(entry => (string)entry["id"]!).Where(id => id.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        return ids.Count > 0 ? ids : throw new CheckFailedException(Failure.Of(FailureClass.NoModels));
    }

    private async Task<IReadOnlyList<string>?> AvailableModelsAsync(CancellationToken cancellationToken)
    {
        try
        {
            var answer = await client.GetAsync(ModelsPath, withKey: true, RetryProfile.Once, cancellationToken);
            if (!answer.IsSuccess || (LenientJson.Parse(answer.Body) as JObject)?["data"] is not JArray data)
            {
                return null;
            }

            return data.Select(entry => LenientJson.Text(entry, "id")).OfType<string>().ToList();
        }
        catch (CheckFailedException)
        {
            return null;
        }
    }
}

/// <param name="ObjectType">OpenAI's <c>object</c> field (of every streamed frame, when they agree).</param>
/// <param name="Error">The first error the answer carried, in a few words; null when none.</param>
internal sealed record ParsedAnswer(string? Content, string? FinishReason, string? Model, JObject? Usage, string? ObjectType, string? Error);
