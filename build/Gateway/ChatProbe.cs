using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Build.Gateway;

/// <summary>One real chat completion: passes only when <c>choices[0].message.content</c> is non-empty text.</summary>
public sealed class ChatProbe(GatewayClient client)
{
    public const string CompletionsPath = "/v1/chat/completions";
    public const string ModelsPath = "/v1/models";
    public const string Prompt = "Reply with the single word: pong";

    public async Task<ChatOutcome> RunAsync(string model, int maxTokens, bool stream, CancellationToken cancellationToken)
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

        var parsed = stream || (answer.ContentType?.Contains("event-stream", StringComparison.OrdinalIgnoreCase) ?? false)
            ? StreamedAnswer.Parse(answer.Body)
            : PlainAnswer(answer);

        if (string.IsNullOrWhiteSpace(parsed.Content))
        {
            throw new CheckFailedException(parsed.FinishReason == "length"
                ? Failure.Of(FailureClass.EmptyContent, $"{model} returned empty content with finish_reason \"length\" at max_tokens={maxTokens}")
                : Failure.Of(FailureClass.InvalidAnswer, $"{CompletionsPath} answered {answer.Code} without text in choices[0].message.content"));
        }

        var usage = parsed.Usage;
        var latency = (long)answer.Elapsed.TotalMilliseconds;
        var tokens = usage is null ? "usage not reported" : $"{LenientJson.Number(usage, "prompt_tokens")}/{LenientJson.Number(usage, "completion_tokens")}/{LenientJson.Number(usage, "total_tokens")} tokens";
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

    private static ParsedAnswer PlainAnswer(GatewayResponse answer)
    {
        var json = LenientJson.Parse(answer.Body) as JObject;
        if (json is null || answer.LooksLikeHtml)
        {
            throw new CheckFailedException(Failure.Of(FailureClass.NotGateway, $"{CompletionsPath} answered {answer.Code} with a body that is not a JSON object"));
        }

        var choice = json["choices"] is JArray { Count: > 0 } choices ? choices[0] as JObject : null;
        return new ParsedAnswer(
            ContentText((choice?["message"] as JObject)?["content"]),
            LenientJson.Text(choice, "finish_reason"),
            LenientJson.Text(json, "model"),
            json["usage"] as JObject);
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
        var listing = available is null ? "the model list could not be read" : available.Count == 0 ? "the gateway lists no models for this key" : $"available: {ListOf(available)}";
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

        var ids = data.Select(entry => LenientJson.Text(entry, "id")).OfType<string>().Where(id => id.Length > 0).Distinct(StringComparer.Ordinal).ToList();
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

internal sealed record ParsedAnswer(string? Content, string? FinishReason, string? Model, JObject? Usage);
