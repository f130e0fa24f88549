using System.Net;
using System.Net.Http.Headers;
using Build.Gateway;
using Build.Security;
using Build.Tests.Support;
using LiteLlmStandIn;

namespace Build.Tests.Unit;

/// <summary>HealthProbe, ChatProbe and the failure classes in-process, against the LiteLLM stand-in.</summary>
[TestFixture]
[Order(1)] // among the longest in-process fixtures, mostly waiting: first of them, beside the last end-to-end runs
public sealed class GatewayProbeTests
{
    private const string Key = "sk-probe-0123456789";
    private TestCertificates _certificates = null!;
    private string _caPath = null!;

    private readonly WaitingCases _waiting = new();

    [OneTimeSetUp]
    public void CreateAuthorityAndStartWaitingCases()
    {
        _certificates = TestCertificates.Create();
        _caPath = Path.Combine(Directory.CreateTempSubdirectory("probe-ca-").FullName, "ca.pem");
        _certificates.WriteAuthorityPem(_caPath);

        foreach (var mode in new[] { LivelinessMode.HtmlPage, LivelinessMode.HugeBody, LivelinessMode.Redirect, LivelinessMode.ServerError })
        {
            _waiting.Start($"liveliness {mode}", () => OddLivelinessAsync(mode));
        }

        _waiting.Start(nameof(A_flaky_model_answers_after_the_retries), FlakyAsync);
        _waiting.Start(nameof(A_refused_connection_and_a_silent_peer_are_told_apart), RefusedAndSilentAsync);
    }

    [OneTimeTearDown]
    public async Task DisposeAuthorityAsync()
    {
        await _waiting.EndAsync();
        _certificates.Dispose();
    }

    private Task<StandInServer> StartAsync(StandInOptions? options = null, bool tls = true) =>
        StandInServer.StartAsync((options ?? new StandInOptions()) with { Certificates = tls ? _certificates : null, MasterKey = (options ?? new StandInOptions()).MasterKey ?? Key });

    private GatewayClient Client(Uri url, string? key = Key, double deadline = 3, bool trust = true, params (string, string)[] more) =>
        new(TestSettings.For(url.AbsoluteUri, key, deadline, trust ? [("ca-cert", _caPath), .. more] : more).Gateway, new EgressPolicy(EgressMode.Block));

    private static Failure Fails(Func<Task> probe) => Assert.ThrowsAsync<CheckFailedException>(() => probe())!.Failure;

    [Test]
    public async Task A_healthy_LiteLLM_reports_its_version_and_database()
    {
        await using var gateway = await StartAsync();
        using var client = Client(gateway.BaseUrl);

        var outcome = await new HealthProbe(client).RunAsync("/health/liveliness", deep: false, CancellationToken.None);

        Assert.That(outcome.IsLiteLlm, Is.True);
        Assert.That(outcome.LiteLlmVersion, Is.EqualTo("1.74.9"));
        Assert.That(outcome.Database, Is.EqualTo("connected"));
        Assert.That(outcome.Detail, Does.StartWith("/health/liveliness answered 200 in ").And.EndWith("; LiteLLM 1.74.9, database connected"));
        Assert.That(gateway.Requests.Select(request => (request.Path, request.Authorization)).ToList(), Is.EqualTo(new[] { ("/health/liveliness", (string?)null), ("/health/readiness", null) }), "the cheap endpoints, without the key");
        Assert.That(client.RequestsSent, Is.EqualTo(2));
    }

    [Test]
    public async Task The_deep_check_names_unhealthy_models_and_never_their_errors()
    {
        await using var gateway = await StartAsync();
        using var client = Client(gateway.BaseUrl);

        var failure = Fails(() => new HealthProbe(client).RunAsync("/health/liveliness", deep: true, CancellationToken.None));

        Assert.That(failure.Id, Is.EqualTo(FailureClass.UnhealthyModels.Id));
        Assert.That(failure.Reason, Is.EqualTo("/health: 1 unhealthy model(s): openai/broken"));
        Assert.That(gateway.Requests.Last().Authorization, Is.EqualTo($"Bearer {Key}"));
    }

    [TestCase(LivelinessMode.HtmlPage, "not-gateway", "/health/liveliness answered 200 with a body that is not JSON")]
    [TestCase(LivelinessMode.HugeBody, "body-too-large", "The answer was larger than 1 MiB")]
    [TestCase(LivelinessMode.Redirect, "redirect", "/health/liveliness answered 307 redirecting to https://login.example.com")]
    [TestCase(LivelinessMode.ServerError, "not-gateway", "/health/liveliness answered 502 with an HTML page")]
    public async Task Odd_liveliness_answers_are_classified(LivelinessMode mode, string failure, string reason)
    {
        var result = await _waiting.SeenAsync<Failure?>($"liveliness {mode}");

        Assert.That(result, Is.Not.Null, "the health check passed");
        Assert.That(result!.Id, Is.EqualTo(failure));
        Assert.That(new Redactor().Redact(result.Reason), Is.EqualTo(reason));
    }

    // A 502 is retried until the deadline, so its case has a short one; the others fail on the first answer, and a
    // long deadline keeps a slow machine from turning them into timeouts.
    private async Task<Failure?> OddLivelinessAsync(LivelinessMode mode)
    {
        await using var gateway = await StartAsync(new StandInOptions { Liveliness = mode });
        using var client = Client(gateway.BaseUrl, deadline: mode == LivelinessMode.ServerError ? 1.5 : 10);
        return await WaitingCases.FailureOfAsync(() => new HealthProbe(client).RunAsync("/health/liveliness", false, CancellationToken.None));
    }

    [Test]
    public async Task A_gateway_that_is_not_ready_says_why()
    {
        await using var gateway = await StartAsync(new StandInOptions { Ready = false });
        using var client = Client(gateway.BaseUrl);

        var failure = Fails(() => new HealthProbe(client).RunAsync("/health/liveliness", false, CancellationToken.None));

        Assert.That(failure.Id, Is.EqualTo(FailureClass.NotReady.Id));
        Assert.That(new Redactor().Redact(failure.Reason), Is.EqualTo("/health/readiness answered 503: Service Unhealthy (Database not connected)"));
    }

    [Test]
    public async Task A_chat_completion_reports_model_tokens_and_headers()
    {
        await using var gateway = await StartAsync();
        using var client = Client(gateway.BaseUrl);

        var outcome = await new ChatProbe(client).RunAsync("gpt-4", 16, stream: false, CancellationToken.None);

        Assert.That(outcome.AnsweringModel, Is.EqualTo("gpt-4"));
        Assert.That(outcome.TotalTokens, Is.EqualTo(outcome.PromptTokens + outcome.CompletionTokens).And.GreaterThan(0));
        Assert.That(outcome.Detail, Does.StartWith("gpt-4 answered in ").And.Contain(" tokens)"));
        Assert.That(outcome.ApiBaseHeaderSeen, Is.True);
        Assert.That(outcome.LiteLlmVersion, Is.EqualTo("1.74.9"));
        Assert.That(outcome.Streamed, Is.False);
        Assert.That(gateway.Requests.Single().Authorization, Is.EqualTo($"Bearer {Key}"));
    }

    [Test]
    public async Task A_streamed_completion_is_read_frame_by_frame()
    {
        await using var gateway = await StartAsync();
        using var client = Client(gateway.BaseUrl);

        var outcome = await new ChatProbe(client).RunAsync("gpt-4", 16, stream: true, CancellationToken.None);

        Assert.That(outcome.Streamed, Is.True);
        Assert.That(outcome.Detail, Does.EndWith(", streamed)"));
    }

    // rate-limited and boom are retried until the deadline (short); the others fail on the first answer (long).
    [TestCase("reasoning", false, "empty-content", "reasoning returned empty content with finish_reason \"length\" at max_tokens=16", 10)]
    [TestCase("boom", false, "server-error", "/v1/chat/completions answered 500: litellm.InternalServerError: upstream connection reset", 1)]
    [TestCase("broken-stream", true, "stream-broken", "The stream carried an error: litellm.APIConnectionError: upstream closed", 10)]
    [TestCase("rate-limited", false, "rate-limited", null, 1)]
    public async Task Chat_failures_are_classified_with_the_gateways_words(string model, bool stream, string failure, string? reason, double deadline)
    {
        await using var gateway = await StartAsync();
        using var client = Client(gateway.BaseUrl, deadline: deadline);

        var result = Fails(() => new ChatProbe(client).RunAsync(model, 16, stream, CancellationToken.None));

        Assert.That(result.Id, Is.EqualTo(failure), result.Reason);
        if (reason is not null)
        {
            Assert.That(new Redactor().Redact(result.Reason), Is.EqualTo(reason));
        }
    }

    [Test]
    public async Task A_flaky_model_answers_after_the_retries()
    {
        var (answering, chats) = await _waiting.SeenAsync<(string? Answering, int Chats)>(nameof(A_flaky_model_answers_after_the_retries));

        Assert.That(answering, Is.EqualTo("flaky"));
        Assert.That(chats, Is.EqualTo(3));
    }

    private async Task<(string? Answering, int Chats)> FlakyAsync()
    {
        await using var gateway = await StartAsync();
        using var client = Client(gateway.BaseUrl, deadline: 10);
        var outcome = await new ChatProbe(client).RunAsync("flaky", 16, false, CancellationToken.None);
        return (outcome.AnsweringModel, gateway.Requests.Count(request => request.Path == "/v1/chat/completions"));
    }

    [Test]
    public async Task An_unknown_model_lists_what_the_gateway_serves()
    {
        await using var gateway = await StartAsync();
        using var client = Client(gateway.BaseUrl);

        var failure = Fails(() => new ChatProbe(client).RunAsync("gpt-5", 16, false, CancellationToken.None));

        Assert.That(failure.Id, Is.EqualTo(FailureClass.UnknownModel.Id));
        Assert.That(new Redactor().Redact(failure.Reason), Is.EqualTo("The gateway does not serve model \"gpt-5\" (available: gpt-4, gpt-4o-mini, reasoning, flaky, rate-limited, boom, broken-stream)"));
    }

    [TestCase(false, "sk-wrong-key", "bad-key")]
    [TestCase(true, "sk-wrong-key", "bad-key")]
    [TestCase(false, null, "missing-key")]
    public async Task A_wrong_or_missing_key_is_classified(bool database, string? key, string failure)
    {
        await using var gateway = await StartAsync(new StandInOptions { HasDatabase = database });
        using var client = Client(gateway.BaseUrl, key);

        var result = Fails(() => new ChatProbe(client).RunAsync("gpt-4", 16, false, CancellationToken.None));

        Assert.That(result.Id, Is.EqualTo(failure), result.Reason);
    }

    [Test]
    public async Task TLS_failures_say_which_check_failed()
    {
        await using var gateway = await StartAsync();
        using (var untrusted = Client(gateway.BaseUrl, trust: false))
        {
            Assert.That(Fails(() => new HealthProbe(untrusted).RunAsync("/health/liveliness", false, CancellationToken.None)).Id, Is.EqualTo(FailureClass.TlsUntrusted.Id));
        }

        using (var byAddress = Client(new Uri($"https://127.0.0.1:{gateway.Port}")))
        {
            Assert.That(Fails(() => new HealthProbe(byAddress).RunAsync("/health/liveliness", false, CancellationToken.None)).Id, Is.EqualTo(FailureClass.TlsNameMismatch.Id));
        }

        await using var expired = await StartAsync(new StandInOptions { ExpiredCertificate = true });
        using var stale = Client(expired.BaseUrl);
        Assert.That(Fails(() => new HealthProbe(stale).RunAsync("/health/liveliness", false, CancellationToken.None)).Id, Is.EqualTo(FailureClass.TlsExpired.Id));
    }

    [Test]
    public async Task Insecure_skips_the_certificate_checks()
    {
        await using var gateway = await StartAsync();
        using var client = Client(gateway.BaseUrl, trust: false, more: ("insecure", "true"));

        var outcome = await new HealthProbe(client).RunAsync("/health/liveliness", false, CancellationToken.None);

        Assert.That(outcome.IsLiteLlm, Is.True);
    }

    [Test]
    public async Task A_refused_connection_and_a_silent_peer_are_told_apart()
    {
        var (refused, silent) = await _waiting.SeenAsync<(Failure? Refused, Failure? Silent)>(nameof(A_refused_connection_and_a_silent_peer_are_told_apart));

        Assert.That(refused?.Id, Is.EqualTo(FailureClass.ConnectionRefused.Id));
        Assert.That(refused!.Reason, Does.StartWith("The gateway refused the connection (").And.Contain(" attempts in "));
        Assert.That(silent?.Id, Is.EqualTo(FailureClass.Timeout.Id));
    }

    private async Task<(Failure? Refused, Failure? Silent)> RefusedAndSilentAsync()
    {
        using var refused = Client(new Uri($"http://127.0.0.1:{Loopback.UnusedPort()}"), deadline: 1);
        using var silent = new SilentPeer();
        using var waiting = Client(new Uri($"http://127.0.0.1:{silent.Port}"), deadline: 1);
        var probes = await Task.WhenAll(
            WaitingCases.FailureOfAsync(() => new HealthProbe(refused).RunAsync("/health/liveliness", false, CancellationToken.None)),
            WaitingCases.FailureOfAsync(() => new HealthProbe(waiting).RunAsync("/health/liveliness", false, CancellationToken.None)));
        return (probes[0], probes[1]);
    }

    [Test]
    public async Task Cancelling_a_probe_is_its_own_class()
    {
        using var silent = new SilentPeer();
        using var client = Client(new Uri($"http://127.0.0.1:{silent.Port}"), deadline: 30);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        var failure = Fails(() => new HealthProbe(client).RunAsync("/health/liveliness", false, cancel.Token));

        Assert.That(failure.Id, Is.EqualTo(FailureClass.Cancelled.Id));
        await Task.CompletedTask;
    }

    [Test]
    public void Retry_After_is_read_as_seconds_or_a_date_and_a_past_date_is_zero()
    {
        static GatewayResponse With(RetryConditionHeaderValue? value)
        {
            using var message = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
            message.Headers.RetryAfter = value;
            return new GatewayResponse(message.StatusCode, message.Headers, "application/json", "{}", false, TimeSpan.Zero);
        }

        Assert.That(With(new RetryConditionHeaderValue(TimeSpan.FromSeconds(7))).RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(7)));
        Assert.That(With(new RetryConditionHeaderValue(DateTimeOffset.UtcNow.AddHours(-1))).RetryAfter, Is.EqualTo(TimeSpan.Zero));
        Assert.That(With(new RetryConditionHeaderValue(DateTimeOffset.UtcNow.AddSeconds(30))).RetryAfter!.Value.TotalSeconds, Is.InRange(25, 31));
        Assert.That(With(null).RetryAfter, Is.Null);
        Assert.That(With(null).Code, Is.EqualTo(503));
        Assert.That(With(null).IsSuccess, Is.False);
    }
}
