using System.Diagnostics;
using Build.Core;
using Build.Gateway;
using Build.Security;
using Build.Tests.Support;

namespace Build.Tests.Unit;

/// <summary>The one client's contract: what each request carries, what it never does, and its waits.</summary>
[TestFixture]
public sealed class GatewayClientTests
{
    private const string Key = "sk-client-0123456789";

    private static GatewayClient Client(RawGateway gateway, double deadline = 3, string? key = Key) =>
        new(TestSettings.For(gateway.Url, key, deadline).Gateway, new EgressPolicy(EgressMode.Block));

    private static string Header(string head, string name) =>
        head.Split("\r\n").FirstOrDefault(line => line.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase))?[(name.Length + 1)..].Trim() ?? "(none)";

    [Test]
    public async Task Health_goes_without_the_key_chat_with_it_and_both_say_who_asks()
    {
        using var gateway = new RawGateway((_, requestLine) => requestLine.StartsWith("GET /health/liveliness", StringComparison.Ordinal)
            ? RawGateway.Json(200, "\"I'm alive!\"")
            : requestLine.StartsWith("GET /health/readiness", StringComparison.Ordinal) ? RawGateway.Json(200, """{"status":"healthy"}""")
            : RawGateway.Json(200, """{"object":"chat.completion","choices":[{"message":{"content":"pong"},"finish_reason":"stop"}],"usage":{"total_tokens":3}}"""));
        using var client = Client(gateway);

        await new HealthProbe(client).RunAsync("/health/liveliness", deep: false, CancellationToken.None);
        await new ChatProbe(client).RunAsync("gpt-4", 16, stream: false, CancellationToken.None);

        var heads = gateway.Heads.ToList();
        var health = heads.First(head => head.StartsWith("GET /health/liveliness", StringComparison.Ordinal));
        var chat = heads.Single(head => head.StartsWith("POST /v1/chat/completions", StringComparison.Ordinal));
        Assert.That(Header(health, "User-Agent"), Is.EqualTo($"litellm-verify/{BuildInfo.Version}"));
        Assert.That(Header(health, "Authorization"), Is.EqualTo("(none)"));
        Assert.That(Header(chat, "Authorization"), Is.EqualTo($"Bearer {Key}"));
        Assert.That(Header(chat, "Content-Type"), Does.StartWith("application/json"));
        Assert.That(Header(chat, "User-Agent"), Is.EqualTo($"litellm-verify/{BuildInfo.Version}"));
        Assert.That(client.HasKey, Is.True);
        Assert.That(client.RequestsSent, Is.EqualTo(heads.Count));
    }

    [Test]
    public async Task A_cookie_the_gateway_sets_is_never_sent_back()
    {
        using var gateway = new RawGateway((number, line) => number == 1
            ? RawGateway.Json(503, """{"error":{"message":"warming up"}}""", "Retry-After: 0", "Set-Cookie: session=tracked; Path=/")
            : line.Contains("/health/readiness", StringComparison.Ordinal) ? RawGateway.Json(200, """{"status":"healthy","db":"connected"}""")
            : RawGateway.Json(200, "\"I'm alive!\""));
        using var client = Client(gateway);

        await new HealthProbe(client).RunAsync("/health/liveliness", deep: false, CancellationToken.None);

        Assert.That(gateway.Heads.Skip(1).Select(head => Header(head, "Cookie")), Has.All.EqualTo("(none)"));
        Assert.That(gateway.Requests, Is.GreaterThanOrEqualTo(2));
    }

    [Test]
    public void A_redirect_is_reported_not_followed()
    {
        using var gateway = new RawGateway((_, _) => RawGateway.Http("307 Temporary Redirect\r\nLocation: https://login.example.com/sso"));
        using var client = Client(gateway);

        var failure = Assert.ThrowsAsync<CheckFailedException>(() => new ChatProbe(client).RunAsync("gpt-4", 16, false, CancellationToken.None))!.Failure;

        Assert.That(failure.Id, Is.EqualTo(FailureClass.Redirect.Id));
        Assert.That(failure.Reason, Does.EndWith("redirecting to https://login.example.com"));
        Assert.That(gateway.Requests, Is.EqualTo(1));
    }

    [Test]
    public void Without_a_key_nothing_is_sent_as_one()
    {
        using var gateway = new RawGateway((_, _) => RawGateway.Json(401, """{"error":{"message":"Authentication Error, No api key passed in.","type":"auth_error","param":"None","code":"401"}}"""));
        using var client = Client(gateway, key: null);

        var failure = Assert.ThrowsAsync<CheckFailedException>(() => new ChatProbe(client).RunAsync("gpt-4", 16, false, CancellationToken.None))!.Failure;

        Assert.That(client.HasKey, Is.False);
        Assert.That(failure.Id, Is.EqualTo(FailureClass.MissingKey.Id));
        Assert.That(gateway.Heads.Select(head => Header(head, "Authorization")), Has.All.EqualTo("(none)"));
    }

    [Test]
    public void The_deadline_ends_a_wait_on_a_silent_peer_long_before_the_per_attempt_timeout()
    {
        using var silent = new SilentPeer();
        using var client = new GatewayClient(TestSettings.For($"http://127.0.0.1:{silent.Port}", Key, 1).Gateway, new EgressPolicy(EgressMode.Block));
        var clock = Stopwatch.StartNew();

        var failure = Assert.ThrowsAsync<CheckFailedException>(() => new HealthProbe(client).RunAsync("/health/liveliness", false, CancellationToken.None))!.Failure;

        Assert.That(failure.Id, Is.EqualTo(FailureClass.Timeout.Id));
        Assert.That(failure.Reason, Does.Contain(" attempt"));
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(8)), "the 1 s deadline, not the 10 s attempt timeout, ends it");
    }

    // attempt, Retry-After (ms), time left (ms), jitter → wait (ms)
    [TestCase(0, null, 60_000, 0.0, 250.0)]
    [TestCase(1, null, 60_000, 0.0, 500.0)]
    [TestCase(3, null, 60_000, 0.0, 2000.0)]
    [TestCase(4, null, 60_000, 0.0, 4000.0)]
    [TestCase(20, null, 60_000, 0.0, 4000.0)]
    [TestCase(0, null, 60_000, 1.0, 312.5)]
    [TestCase(2, null, 60_000, 0.5, 1125.0)]
    [TestCase(0, 3000, 60_000, 0.0, 3000.0)]
    [TestCase(2, 100, 60_000, 0.0, 1000.0)]
    [TestCase(3, null, 1000, 0.0, 750.0)]
    [TestCase(0, 30_000, 2000, 0.0, 1750.0)]
    [TestCase(3, null, 400, 0.0, 250.0)]
    public void The_wait_before_a_retry_is_backoff_Retry_After_and_the_time_left(int attempt, int? retryAfterMs, int remainingMs, double jitter, double expectedMs)
    {
        var retryAfter = retryAfterMs is { } ms ? TimeSpan.FromMilliseconds(ms) : (TimeSpan?)null;
        Assert.That(GatewayClient.Wait(attempt, retryAfter, TimeSpan.FromMilliseconds(remainingMs), jitter).TotalMilliseconds, Is.EqualTo(expectedMs).Within(0.001));
    }
}
