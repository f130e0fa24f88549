using Build.Gateway;
using Build.Security;
using Build.Tests.Support;
using Newtonsoft.Json.Linq;

namespace Build.Tests.Unit;

/// <summary>What ChatSmoke sends, and how it reads every answer shape, plain and streamed.</summary>
[TestFixture]
public sealed class ChatAnswerTests
{
    private const string Key = "sk-chat-0123456789";

    private static GatewayClient Client(RawGateway gateway) =>
        new(TestSettings.For(gateway.Url, Key, 3).Gateway, new EgressPolicy(EgressMode.Block));

    private static async Task<ChatOutcome> AskAsync(RawGateway gateway, string model = "gpt-4", bool stream = false)
    {
        using var client = Client(gateway);
        return await new ChatProbe(client).RunAsync(model, 16, stream, CancellationToken.None);
    }

    private static Failure Fails(RawGateway gateway, string model = "gpt-4", bool stream = false)
    {
        using var client = Client(gateway);
        return Assert.ThrowsAsync<CheckFailedException>(() => new ChatProbe(client).RunAsync(model, 16, stream, CancellationToken.None))!.Failure;
    }

    private static string Shown(string text) => new Redactor().Redact(text);

    [TestCase(false)]
    [TestCase(true)]
    public async Task The_request_is_one_short_message_with_the_model_and_max_tokens(bool stream)
    {
        using var gateway = new RawGateway((_, _) => stream
            ? RawGateway.Http("200 OK\r\nContent-Type: text/event-stream", "data: {\"object\":\"chat.completion.chunk\",\"choices\":[{\"delta\":{\"content\":\"pong\"},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n")
            : RawGateway.Json(200, """{"object":"chat.completion","choices":[{"message":{"content":"pong"},"finish_reason":"stop"}]}"""));

        await AskAsync(gateway, "my-model", stream);

        var expected = new JObject
        {
            ["model"] = "my-model",
            ["messages"] = new JArray(new JObject { ["role"] = "user", ["content"] = ChatProbe.Prompt }),
            ["max_tokens"] = 16,
        };
        if (stream)
        {
            expected["stream"] = true;
        }

        Assert.That(JToken.DeepEquals(JObject.Parse(gateway.Bodies.Single()), expected), Is.True, gateway.Bodies.Single());
        Assert.That(gateway.RequestLines.Single(), Is.EqualTo("POST /v1/chat/completions HTTP/1.1"));
    }

    [Test]
    public async Task A_plain_answer_reports_the_answering_model_tokens_and_LiteLLMs_headers()
    {
        using var gateway = new RawGateway((_, _) => RawGateway.Json(200,
            """{"model":"gpt-4-0613","choices":[{"message":{"content":"pong"},"finish_reason":"stop"}],"usage":{"prompt_tokens":10,"completion_tokens":1,"total_tokens":11}}""",
            "x-litellm-version: 1.74.9", "x-litellm-model-id: abc123", "x-litellm-model-api-base: https://upstream.secret.example"));

        var outcome = await AskAsync(gateway);

        Assert.That(outcome.Detail, Does.Match(@"^gpt-4-0613 answered in \d+ ms \(10/1/11 tokens\)$"));
        Assert.That((outcome.AnsweringModel, outcome.PromptTokens, outcome.CompletionTokens, outcome.TotalTokens, outcome.FinishReason), Is.EqualTo(("gpt-4-0613", 10L, 1L, 11L, "stop")));
        Assert.That((outcome.LiteLlmVersion, outcome.ModelId, outcome.ApiBaseHeaderSeen, outcome.Streamed), Is.EqualTo(("1.74.9", "abc123", true, false)));
    }

    [Test]
    public async Task Without_usage_or_a_model_name_the_detail_says_so_and_names_the_model_asked_for()
    {
        using var gateway = new RawGateway((_, _) => RawGateway.Json(200, """{"object":"chat.completion","choices":[{"message":{"content":"pong"},"finish_reason":"stop"}]}"""));

        var outcome = await AskAsync(gateway, "asked-model");

        Assert.That(outcome.Detail, Does.Match(@"^asked-model answered in \d+ ms \(usage not reported\)$"));
        Assert.That((outcome.AnsweringModel, outcome.TotalTokens, outcome.ApiBaseHeaderSeen, outcome.LiteLlmVersion), Is.EqualTo(((string?)null, (long?)null, false, (string?)null)));
    }

    [Test]
    public async Task An_event_stream_is_read_as_one_even_when_streaming_was_not_asked_for()
    {
        using var gateway = new RawGateway((_, _) => RawGateway.Http("200 OK\r\nContent-Type: text/event-stream; charset=utf-8",
            ": keep-alive\n\nevent: message\ndata:{\"model\":\"m\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"delta\":{\"content\":\"po\"}}]}\n\ndata: {\"object\":\"chat.completion.chunk\",\"choices\":[{\"delta\":{\"content\":[{\"type\":\"text\",\"text\":\"ng\"}]},\"finish_reason\":\"stop\"}],\"usage\":{\"total_tokens\":5}}\n\ndata: [DONE]\n\n"));

        var outcome = await AskAsync(gateway);

        Assert.That((outcome.AnsweringModel, outcome.FinishReason, outcome.TotalTokens, outcome.Streamed), Is.EqualTo(("m", "stop", 5L, false)));
        Assert.That(outcome.Detail, Does.Match(@"^m answered in \d+ ms \(//5 tokens\)$"));
    }

    [TestCase("data: {\"choices\":[{\"delta\":{\"content\":\"x\"}}]}\n\n", "The stream ended without data: [DONE] or a finish_reason")]
    [TestCase("event: error\ndata: {\"error\":{\"message\":\"overloaded\"}}\n\n", "The stream carried an error event: overloaded")]
    [TestCase("event: error\ndata: \n\n", "The stream carried an error event: no message")]
    [TestCase("data: {\"choices\":[{\"delta\":{\"content\":\"x\"},\"error\":\"cut\"}]}\n\n", "The stream carried an error: cut")]
    [TestCase("data: not json\n\ndata: [DONE]\n\n", "A stream frame was not JSON")]
    [TestCase("data: {\"error\":{\"message\":\"upstream closed\"}}\n\n", "The stream carried an error: upstream closed")]
    [TestCase("data: {\"error\":{}}\n\n", "The stream carried an error: no message")]
    public void A_broken_stream_says_how_it_broke(string frames, string reason)
    {
        using var gateway = new RawGateway((_, _) => RawGateway.Http("200 OK\r\nContent-Type: text/event-stream", frames));

        var failure = Fails(gateway, stream: true);

        Assert.That((failure.Id, Shown(failure.Reason)), Is.EqualTo(("stream-broken", reason)));
    }

    [Test]
    public void Empty_content_is_told_apart_by_its_finish_reason()
    {
        using var length = new RawGateway((_, _) => RawGateway.Json(200, """{"object":"chat.completion","choices":[{"message":{"content":""},"finish_reason":"length"}]}"""));
        using var other = new RawGateway((_, _) => RawGateway.Json(200, """{"object":"chat.completion","choices":[{"message":{"content":"  "},"finish_reason":"stop"}]}"""));

        var empty = Fails(length, "reasoning");
        var invalid = Fails(other);

        Assert.That((empty.Id, empty.Reason), Is.EqualTo(("empty-content", "reasoning returned empty content with finish_reason \"length\" at max_tokens=16")));
        Assert.That((invalid.Id, invalid.Reason), Is.EqualTo(("invalid-answer", "/v1/chat/completions answered 200 without text in choices[0].message.content")));
    }

    [TestCase("""{"choices":[{"message":{"content":"pong"},"finish_reason":"stop"}]}""", "not-gateway", "/v1/chat/completions answered 200 with neither LiteLLM's x-litellm-* headers nor an OpenAI chat.completion (no object field)")]
    [TestCase("""{"object":"list","choices":[{"message":{"content":"pong"},"finish_reason":"stop"}]}""", "not-gateway", "/v1/chat/completions answered 200 with neither LiteLLM's x-litellm-* headers nor an OpenAI chat.completion (object \"list\")")]
    [TestCase("""{"object":"chat.completion","choices":[{"message":{"content":"pong"},"finish_reason":"stop"}],"error":{"message":"upstream 502"}}""", "gateway-error", "/v1/chat/completions answered 200, but the answer carries an error: upstream 502")]
    [TestCase("""{"object":"chat.completion","choices":[{"message":{"content":"pong"},"finish_reason":"stop","error":"partial"}]}""", "gateway-error", "/v1/chat/completions answered 200, but the answer carries an error: partial")]
    [TestCase("""{"object":"chat.completion","choices":[{"message":{"content":"pong"},"finish_reason":"error"}]}""", "gateway-error", "gpt-4 ended its answer with finish_reason \"error\"")]
    [TestCase("""{"object":"chat.completion","choices":[{"message":{"content":"pong"}}]}""", "invalid-answer", "/v1/chat/completions answered 200 without a finish_reason")]
    [TestCase("""{"object":"chat.completion","choices":[{"message":{"content":"pong"},"finish_reason":"eos"}]}""", "invalid-answer", "/v1/chat/completions answered 200 with finish_reason \"eos\", not one of stop, length, tool_calls, content_filter, function_call")]
    public void An_answer_passes_only_on_every_piece_of_evidence(string body, string failure, string reason)
    {
        using var gateway = new RawGateway((_, _) => RawGateway.Json(200, body));

        var failed = Fails(gateway);

        Assert.That((failed.Id, Shown(failed.Reason)), Is.EqualTo((failure, reason)));
    }

    [TestCase("stop")]
    [TestCase("length")]
    [TestCase("tool_calls")]
    [TestCase("function_call")]
    [TestCase("content_filter")]
    public async Task Every_known_finish_reason_passes_and_a_LiteLLM_header_stands_for_the_object_field(string finish)
    {
        using var gateway = new RawGateway((_, _) => RawGateway.Json(200, $$"""{"choices":[{"message":{"content":"pong"},"finish_reason":"{{finish}}","error":null}]}""", "x-litellm-call-id: 1"));
        Assert.That((await AskAsync(gateway)).FinishReason, Is.EqualTo(finish));
    }

    [Test]
    public async Task The_same_body_as_the_health_answer_is_a_catch_all()
    {
        const string Body = """{"object":"chat.completion","choices":[{"message":{"content":"pong"},"finish_reason":"stop"}]}""";
        using var gateway = new RawGateway((_, _) => RawGateway.Json(200, Body));
        using var client = Client(gateway);

        var failure = Assert.ThrowsAsync<CheckFailedException>(() => new ChatProbe(client).RunAsync("gpt-4", 16, false, CancellationToken.None, healthAnswer: Body))!.Failure;
        Assert.That((failure.Id, failure.Reason), Is.EqualTo(("not-gateway", "/v1/chat/completions answered with the same body as the health path: a catch-all, not a chat API")));
        Assert.That((await new ChatProbe(client).RunAsync("gpt-4", 16, false, CancellationToken.None, healthAnswer: "\"I'm alive!\"")).FinishReason, Is.EqualTo("stop"));
    }

    [Test]
    public void A_body_that_is_not_a_JSON_object_is_not_the_gateway()
    {
        using var html = new RawGateway((_, _) => RawGateway.Http("200 OK\r\nContent-Type: text/html", "<html>portal</html>"));
        Assert.That(Fails(html).Reason, Is.EqualTo("/v1/chat/completions answered 200 with a body that is not a JSON object"));
    }

    private static RawGateway UnknownModelGateway(int status, string models) =>
        new((_, requestLine) => requestLine.StartsWith("GET /v1/models", StringComparison.Ordinal)
            ? RawGateway.Json(200, models)
            : RawGateway.Json(status, """{"error":{"message":"/chat/completions: Invalid model name passed in model=nope.","type":"None","param":"None","code":"400"}}"""));

    [Test]
    public void An_unknown_model_lists_what_is_served_or_says_why_it_cannot()
    {
        using (var listed = UnknownModelGateway(400, """{"data":[{"id":"gpt-4"},{"id":"claude"}]}"""))
        {
            var failure = Fails(listed, "nope");
            Assert.That((failure.Id, failure.Reason), Is.EqualTo(("unknown-model", "The gateway does not serve model \"nope\" (available: gpt-4, claude)")));
            Assert.That(listed.Heads.Single(head => head.StartsWith("GET /v1/models", StringComparison.Ordinal)), Does.Contain($"Authorization: Bearer {Key}"));
        }

        using (var none = UnknownModelGateway(404, """{"data":[]}"""))
        {
            Assert.That(Fails(none, "nope").Reason, Is.EqualTo("The gateway does not serve model \"nope\" (the gateway lists no models for this key)"));
        }

        using (var unreadable = UnknownModelGateway(400, """{"object":"list"}"""))
        {
            Assert.That(Fails(unreadable, "nope").Reason, Is.EqualTo("The gateway does not serve model \"nope\" (the model list could not be read)"));
        }

        using var serverError = UnknownModelGateway(500, "{}");
        Assert.That(Fails(serverError, "nope").Id, Is.EqualTo("server-error"), "only a 400 or 404 saying so is an unknown model");
    }

    [TestCase("""{"data":[{"id":"gpt-4"},{"id":5}]}""", "/v1/models listed a model whose id is not a string (integer)")]
    [TestCase("""{"data":[{"id":"gpt-4"},{"name":"x"}]}""", "/v1/models listed a model whose id is not a string (missing)")]
    [TestCase("""{"data":["gpt-4"]}""", "/v1/models listed a model whose id is not a string (string)")]
    public void A_model_list_with_an_id_that_is_not_a_string_is_an_invalid_answer(string body, string reason)
    {
        using var gateway = new RawGateway((_, _) => RawGateway.Json(200, body));
        using var client = Client(gateway);

        var failure = Assert.ThrowsAsync<CheckFailedException>(() => new ChatProbe(client).ListModelsAsync(CancellationToken.None))!.Failure;

        Assert.That((failure.Id, failure.Reason), Is.EqualTo(("invalid-answer", reason)));
    }

    [Test]
    public void A_model_list_shows_twenty_names_each_cut_at_80_characters()
    {
        var exactly = new string('a', 80);
        var longer = new string('b', 81);
        Assert.That(ChatProbe.ListOf([exactly, longer]), Is.EqualTo($"{exactly}, {new string('b', 77)}..."));
        var twenty = Enumerable.Range(1, 20).Select(index => $"m{index}").ToList();
        Assert.That(ChatProbe.ListOf(twenty), Is.EqualTo(string.Join(", ", twenty)));
        Assert.That(ChatProbe.ListOf([.. twenty, "m21", "m22"]), Is.EqualTo(string.Join(", ", twenty) + " and 2 more"));
    }
}
