using System.Text;
using Build.Gateway;
using Build.Security;
using Build.Tests.Support;
using LiteLlmStandIn;

namespace Build.Tests.Unit;

/// <summary>The gateway code in-process, against a hostile gateway that sends what LiteLLM never would.</summary>
[TestFixture]
[Order(1)] // among the longest in-process fixtures, mostly waiting: first of them, beside the last end-to-end runs
public sealed class GatewayEdgeTests
{
    private const string Key = "sk-edge-0123456789abcdef";

    private static GatewayClient Client(string url, double deadline = 3) =>
        new(TestSettings.For(url, Key, deadline).Gateway, new EgressPolicy(EgressMode.Block));

    private readonly WaitingCases _waiting = new();

    // Each retries until its deadline.
    [OneTimeSetUp]
    public void StartWaitingCases()
    {
        _waiting.Start(nameof(Retry_After_0_does_not_hammer_the_gateway), RetryAfterZeroAsync);
        foreach (var header in new[] { string.Empty, "Retry-After: soon" })
        {
            _waiting.Start($"502 {header}", () => BadGatewayAsync(header));
        }

        _waiting.Start(nameof(Control_characters_and_the_key_from_a_gateway_message_are_gone_once_redacted), ControlCharactersAsync);
    }

    [OneTimeTearDown]
    public Task EndWaitingCasesAsync() => _waiting.EndAsync();

    private static async Task<Failure> HealthFailureAsync(RawGateway gateway, double deadline = 3)
    {
        using var client = Client(gateway.Url, deadline);
        var exception = Assert.ThrowsAsync<CheckFailedException>(() => new HealthProbe(client).RunAsync("/health/liveliness", deep: false, CancellationToken.None));
        return await Task.FromResult(exception!.Failure);
    }

    /// <summary>For a waiting case: the failure, or null when the health check passed.</summary>
    private static async Task<Failure?> HealthOutcomeAsync(RawGateway gateway, double deadline)
    {
        using var client = Client(gateway.Url, deadline);
        return await WaitingCases.FailureOfAsync(() => new HealthProbe(client).RunAsync("/health/liveliness", deep: false, CancellationToken.None));
    }

    private static Failure ChatFailure(RawGateway gateway, double deadline = 3)
    {
        using var client = Client(gateway.Url, deadline);
        return Assert.ThrowsAsync<CheckFailedException>(() => new ChatProbe(client).RunAsync("gpt-4", 16, stream: false, CancellationToken.None))!.Failure;
    }

    [TestCase(null)]
    [TestCase("0")]
    [TestCase("Wed, 21 Oct 2015 07:28:00 GMT")]
    public void No_retry_comes_sooner_than_the_normal_backoff_whatever_Retry_After_says(string? retryAfter)
    {
        TimeSpan? asked = retryAfter switch
        {
            null => null,
            "0" => TimeSpan.Zero,
            _ => TimeSpan.Zero, // a past date: GatewayResponse.RetryAfter turns it into zero
        };

        for (var attempt = 0; attempt < 40; attempt++)
        {
            var wait = GatewayClient.Wait(attempt, asked, TimeSpan.FromSeconds(60), jitter: 0);
            Assert.That(wait, Is.GreaterThanOrEqualTo(GatewayClient.MinimumWait), $"attempt {attempt}");
            Assert.That(wait, Is.LessThanOrEqualTo(TimeSpan.FromSeconds(4)));
        }

        Assert.That(GatewayClient.Wait(0, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(60), 0), Is.EqualTo(TimeSpan.FromSeconds(3)), "a longer Retry-After is honoured");
        Assert.That(GatewayClient.Wait(0, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(2), 0), Is.LessThan(TimeSpan.FromSeconds(2)), "capped by the time left");
    }

    [Test]
    public async Task Retry_After_0_does_not_hammer_the_gateway()
    {
        var (failure, requests) = await _waiting.SeenAsync<(Failure? Failure, int Requests)>(nameof(Retry_After_0_does_not_hammer_the_gateway));

        Assert.That(requests, Is.InRange(2, 10), "at least 250 ms between attempts over a 2 s deadline");
        Assert.That(failure?.Id, Is.EqualTo(FailureClass.ServerError.Id));
    }

    private static async Task<(Failure? Failure, int Requests)> RetryAfterZeroAsync()
    {
        using var gateway = new RawGateway((_, _) => RawGateway.Json(503, """{"error":{"message":"busy"}}""", "Retry-After: 0"));
        var failure = await HealthOutcomeAsync(gateway, deadline: 2);
        return (failure, gateway.Requests);
    }

    [TestCase("")]
    [TestCase("Retry-After: soon")]
    public async Task A_502_until_the_deadline_is_reported_as_the_502_not_as_no_answer(string header)
    {
        var failure = await _waiting.SeenAsync<Failure?>($"502 {header}");

        Assert.That(failure?.Id, Is.EqualTo(FailureClass.ServerError.Id), failure?.Reason);
        Assert.That(failure!.Reason, Does.Contain("502"));
    }

    private static async Task<Failure?> BadGatewayAsync(string header)
    {
        var headers = header.Length == 0 ? [] : new[] { header };
        using var gateway = new RawGateway((_, _) => RawGateway.Json(502, """{"error":{"message":"upstream connect error"}}""", headers));
        return await HealthOutcomeAsync(gateway, deadline: 1.5);
    }

    [TestCase("""{"object":"chat.completion","choices":[{"message":null,"finish_reason":"stop"}]}""", "invalid-answer")]
    [TestCase("""{"object":"chat.completion","choices":["pong"]}""", "invalid-answer")]
    [TestCase("""{"object":"chat.completion","choices":[{"message":{"content":[1,2,"x"]},"finish_reason":"stop"}]}""", "invalid-answer")]
    [TestCase("""{"object":"chat.completion","choices":[{"message":{"content":{"text":"pong"}},"finish_reason":"stop"}]}""", "invalid-answer")]
    [TestCase("""["not","an","object"]""", "not-gateway")]
    public void Odd_answer_shapes_are_classified_not_unexpected(string body, string failure)
    {
        using var gateway = new RawGateway((_, _) => RawGateway.Json(200, body));

        Assert.That(ChatFailure(gateway).Id, Is.EqualTo(failure));
    }

    [Test]
    public void A_connection_closed_mid_body_is_its_own_class()
    {
        using var gateway = new RawGateway((_, _) => RawGateway.Http("200 OK", """{"choices":[{"message":{"con""", cutBody: true));

        var failure = ChatFailure(gateway);

        Assert.That(failure.Id, Is.EqualTo(FailureClass.BodyBroken.Id), failure.Reason);
    }

    [Test]
    public async Task Headers_over_the_limit_are_their_own_class()
    {
        var huge = "X-Padding: " + new string('a', 80 * 1024);
        using var gateway = new RawGateway((_, _) => RawGateway.Json(200, "\"I'm alive!\"", huge));

        var failure = await HealthFailureAsync(gateway);

        Assert.That(failure.Id, Is.EqualTo(FailureClass.HeadersTooLarge.Id), failure.Reason);
    }

    [TestCase("101 Switching Protocols")]
    [TestCase("304 Not Modified")]
    public async Task Statuses_that_carry_no_answer_are_their_own_class(string status)
    {
        using var gateway = new RawGateway((_, _) => Encoding.ASCII.GetBytes($"HTTP/1.1 {status}\r\nConnection: close\r\n\r\n"));

        var failure = await HealthFailureAsync(gateway);

        Assert.That(failure.Id, Is.EqualTo(FailureClass.NotAnAnswer.Id), failure.Reason);
    }

    [Test]
    public async Task Plain_http_to_a_TLS_port_says_to_use_https()
    {
        using var certificates = TestCertificates.Create();
        await using var tls = await StandInServer.StartAsync(new StandInOptions { Certificates = certificates });
        using var client = Client($"http://127.0.0.1:{tls.Port}");

        var failure = Assert.ThrowsAsync<CheckFailedException>(() => new HealthProbe(client).RunAsync("/health/liveliness", false, CancellationToken.None))!.Failure;

        Assert.That(failure.Id, Is.EqualTo(FailureClass.SchemeMismatch.Id), failure.Reason);
        Assert.That(failure.Reason, Does.Contain("use https://"));
    }

    [Test]
    public async Task A_404_names_the_path_that_was_requested_and_a_fix_that_fits_it()
    {
        using var gateway = new RawGateway((_, _) => RawGateway.Json(404, """{"detail":"Not Found"}"""));

        var health = await HealthFailureAsync(gateway);
        var chat = ChatFailure(gateway);

        Assert.That(health.Id, Is.EqualTo(FailureClass.NotFound.Id));
        Assert.That(health.Reason, Does.Contain("(requested /health/liveliness)"));
        Assert.That(chat.Id, Is.EqualTo(FailureClass.ChatNotFound.Id));
        Assert.That(chat.Reason, Does.Contain("(requested /v1/chat/completions)"));
        Assert.That(chat.Fix, Does.Not.Contain("--health-path"));
    }

    [Test]
    public void The_unknown_model_list_is_capped()
    {
        var models = string.Join(',', Enumerable.Range(0, 800).Select(index => $"{{\"id\":\"model-{index}-{new string('m', 1000)}\"}}"));
        using var gateway = new RawGateway((_, line) => line.Contains("/v1/models", StringComparison.Ordinal)
            ? RawGateway.Json(200, $"{{\"data\":[{models}]}}")
            : RawGateway.Json(400, """{"error":{"message":"Invalid model name passed in model=gpt-4","code":"400"}}"""));

        var failure = ChatFailure(gateway);

        Assert.That(failure.Id, Is.EqualTo(FailureClass.UnknownModel.Id));
        Assert.That(failure.Reason, Does.Contain("and 780 more"));
        Assert.That(failure.Reason.Length, Is.LessThan(3000));
    }

    [Test]
    public async Task Control_characters_and_the_key_from_a_gateway_message_are_gone_once_redacted()
    {
        var failure = await _waiting.SeenAsync<Failure?>(nameof(Control_characters_and_the_key_from_a_gateway_message_are_gone_once_redacted));
        var redactor = new Redactor();
        redactor.AddKey(Key);

        Assert.That(failure, Is.Not.Null, "the health check passed");
        var shown = redactor.Redact(failure!.OneLine);

        Assert.That(shown.Any(char.IsControl), Is.False, shown);
        Assert.That(shown, Does.Not.Contain("edge-0123").And.Contain(Redactor.Placeholder));
    }

    private static async Task<Failure?> ControlCharactersAsync()
    {
        using var gateway = new RawGateway((_, _) => RawGateway.Json(503, "{\"error\":{\"message\":\"\\u001b]0;pwned\\u0007\\u001b[31mUnhealthy " + Key + " \\u0007\"}}"));
        return await HealthOutcomeAsync(gateway, deadline: 1);
    }
}
