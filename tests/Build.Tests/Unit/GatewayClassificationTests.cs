using System.Net;
using System.Text;
using Build.Gateway;
using Build.Security;

namespace Build.Tests.Unit;

/// <summary>Every status and body shape a gateway can send, classified with the exact words a user reads.</summary>
[TestFixture]
public sealed class GatewayClassificationTests
{
    private static GatewayResponse Answer(int status, string body = "", string? contentType = "application/json", bool tooLarge = false, string? location = null, string? requested = null)
    {
        using var message = new HttpResponseMessage((HttpStatusCode)status);
        if (location is not null)
        {
            message.Headers.Location = new Uri(location, UriKind.RelativeOrAbsolute);
        }

        return new GatewayResponse((HttpStatusCode)status, message.Headers, contentType, body, tooLarge, TimeSpan.Zero) { RequestedPath = requested };
    }

    /// <summary>The reason as a user reads it: redacted, so the marks around gateway text are gone.</summary>
    private static string Shown(string text) => new Redactor().Redact(text);

    private static string Envelope(string message, string type = "None") =>
        "{\"error\":{\"message\":\"" + message + "\",\"type\":\"" + type + "\",\"param\":\"None\",\"code\":\"400\"}}";

    [TestCase(101, "", "not-an-answer", "/health answered 101")]
    [TestCase(199, "", "not-an-answer", "/health answered 199")]
    [TestCase(304, "", "not-an-answer", "/health answered 304")]
    [TestCase(403, "{\"detail\":\"Forbidden by policy\"}", "forbidden", "/health answered 403: Forbidden by policy")]
    [TestCase(429, "{\"error\":\"slow down\"}", "rate-limited", "/health answered 429 until the deadline: slow down")]
    [TestCase(500, "{\"message\":\"boom\"}", "server-error", "/health answered 500: boom")]
    [TestCase(500, "", "server-error", "/health answered 500")]
    [TestCase(502, "<html>bad gateway</html>", "not-gateway", "/health answered 502 with an HTML page")]
    [TestCase(503, "{\"detail\":\"Service Unhealthy (db)\"}", "not-ready", "/health answered 503: Service Unhealthy (db)")]
    [TestCase(503, "Unhealthy\nsecond line", "not-ready", "/health answered 503: Unhealthy")]
    [TestCase(418, "<p>teapot</p>", "not-gateway", "/health answered 418 with an HTML page")]
    [TestCase(400, "{\"error\":{\"message\":\"bad\",\"type\":\"invalid_request_error\"}}", "rejected", "/health answered 400: bad")]
    [TestCase(499, "", "rejected", "/health answered 499")]
    [TestCase(600, "", "server-error", "/health answered 600")]
    public void A_status_is_classified_with_the_gateways_own_words(int status, string body, string failure, string reason)
    {
        var classified = StatusFailures.Classify(Answer(status, body, body.StartsWith('<') ? "text/html" : "application/json"), "/health", keySent: false);

        Assert.That((classified.Id, Shown(classified.Reason)), Is.EqualTo((failure, reason)));
    }

    [Test]
    public void A_429_that_asks_for_a_wait_says_how_long_not_until_the_deadline()
    {
        var answer = Answer(429, "{\"error\":\"slow down\"}");
        answer.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(120));

        var classified = StatusFailures.Classify(answer, "/v1/chat/completions", keySent: true);

        Assert.That((classified.Id, Shown(classified.Reason)), Is.EqualTo(("rate-limited", "/v1/chat/completions answered 429 and asked for 120 s before a retry: slow down")));
    }

    [Test]
    public void A_401_says_whether_a_key_was_sent()
    {
        var body = Envelope("Authentication Error, Invalid proxy server token passed.", "token_not_found_in_db");
        var sent = StatusFailures.Classify(Answer(401, body), "/v1/chat/completions", keySent: true);
        var none = StatusFailures.Classify(Answer(401, body), "/v1/chat/completions", keySent: false);

        Assert.That((sent.Id, Shown(sent.Reason)), Is.EqualTo(("bad-key", "/v1/chat/completions answered 401: the key was rejected: Authentication Error, Invalid proxy server token passed.")));
        Assert.That((none.Id, Shown(none.Reason)), Is.EqualTo(("missing-key", "/v1/chat/completions answered 401: no key was sent: Authentication Error, Invalid proxy server token passed.")));
    }

    [TestCase("{\"error\":{\"message\":\"No connected db.\",\"type\":\"no_db_connection\",\"param\":null,\"code\":\"400\"}}")]
    [TestCase("{\"error\":{\"message\":\"No connected db.\",\"type\":\"None\"}}")]
    [TestCase("{\"error\":{\"message\":\"x\",\"type\":\"no_db_connection\"}}")]
    public void LiteLLMs_400_without_a_database_is_a_bad_key(string body)
    {
        var failure = StatusFailures.Classify(Answer(400, body), "/v1/chat/completions", keySent: true);
        Assert.That((failure.Id, failure.Reason), Is.EqualTo(("bad-key", "/v1/chat/completions answered 400 no_db_connection: LiteLLM rejects this key (no database to look it up)")));
    }

    [TestCase("https://login.example.com:8443/sso?next=/", "/health answered 307 redirecting to https://login.example.com:8443")]
    [TestCase("/elsewhere", "/health answered 307 redirecting to a path on the same origin")]
    [TestCase(null, "/health answered 307 redirecting to an unnamed location")]
    public void A_redirect_names_only_where_it_points(string? location, string reason)
    {
        var failure = StatusFailures.Classify(Answer(307, location: location), "/health", keySent: false);
        Assert.That((failure.Id, failure.Reason), Is.EqualTo(("redirect", reason)));
        Assert.That(StatusFailures.Classify(Answer(300), "/health", false).Id, Is.EqualTo("redirect"));
        Assert.That(StatusFailures.Classify(Answer(399), "/health", false).Id, Is.EqualTo("redirect"));
    }

    [Test]
    public void A_404_names_what_was_requested_and_tells_the_API_from_a_health_path()
    {
        var chat = StatusFailures.Classify(Answer(404, requested: "/litellm/v1/chat/completions"), "/v1/chat/completions", true);
        var health = StatusFailures.Classify(Answer(404), "/health/liveliness", false);

        Assert.That((chat.Id, chat.Reason), Is.EqualTo(("chat-not-found", "/v1/chat/completions answered 404 (requested /litellm/v1/chat/completions)")));
        Assert.That((health.Id, health.Reason), Is.EqualTo(("not-found", "/health/liveliness answered 404 (requested /health/liveliness)")));
    }

    [Test]
    public void A_body_over_the_cap_is_its_own_class_whatever_the_status()
    {
        Assert.That(StatusFailures.Classify(Answer(500, tooLarge: true), "/health", false).Id, Is.EqualTo("body-too-large"));
        Assert.That(StatusFailures.Classify(Answer(200, tooLarge: true), "/health", false).Id, Is.EqualTo("body-too-large"));
    }

    [Test]
    public void The_error_envelope_reads_every_shape_and_says_no_message_when_there_is_none()
    {
        Assert.That(ErrorEnvelope.From("""{"error":{"message":{"error":"nested"},"type":"t"}}""")!.Message, Is.EqualTo("""{"error":"nested"}"""));
        Assert.That(ErrorEnvelope.From("""{"error":"bare","detail":"second","message":"third"}""")!.Message, Is.EqualTo("bare"));
        Assert.That(ErrorEnvelope.From("""{"detail":"second","message":"third"}""")!.Message, Is.EqualTo("second"));
        Assert.That(ErrorEnvelope.From("""{"message":"third"}""")!.Message, Is.EqualTo("third"));
        Assert.That(ErrorEnvelope.From("""{"other":1}"""), Is.Null);
        Assert.That(ErrorEnvelope.From("""["error"]"""), Is.Null);
        Assert.That(ErrorEnvelope.From("not json"), Is.Null);

        var typeOnly = ErrorEnvelope.From("""{"error":{"type":"throttling_error"}}""")!;
        Assert.That(Shown(typeOnly.ShortMessage), Is.EqualTo("throttling_error"));
        Assert.That(typeOnly.Mentions("THROTTLING"), Is.True);
        Assert.That(typeOnly.Mentions("budget"), Is.False);
        Assert.That(Shown(ErrorEnvelope.From("""{"error":{"code":"500"}}""")!.ShortMessage), Is.EqualTo("no message"));
        Assert.That(Shown(ErrorEnvelope.From("""{"error":{"message":"line one\nline two  "}}""")!.ShortMessage), Is.EqualTo("line one line two"));
    }

    [Test]
    public void Shown_text_is_cut_and_first_lines_drop_quotes()
    {
        Assert.That(Shown(StatusFailures.FirstLine("\"quoted\"\r\nrest")), Is.EqualTo("quoted"));
        Assert.That(Shown(StatusFailures.Shorten(new string('a', 5000))).Length, Is.LessThanOrEqualTo(161));
        Assert.That(Shown(StatusFailures.Shorten(new string('b', 100))), Is.EqualTo(new string('b', 100)));
    }

    [Test]
    public void Lenient_JSON_refuses_trailing_text_keeps_dates_as_text_and_refuses_deep_nesting()
    {
        Assert.That(LenientJson.Parse("{} trailing"), Is.Null);
        Assert.That(LenientJson.Parse("{}{}"), Is.Null);
        Assert.That(LenientJson.Parse("  "), Is.Null);
        Assert.That(LenientJson.Text(LenientJson.Parse("""{"at":"2026-11-27T10:00:00Z"}"""), "at"), Is.EqualTo("2026-11-27T10:00:00Z"));
        Assert.That(LenientJson.Parse(new string('[', 100) + new string(']', 100)), Is.Null);
        Assert.That(LenientJson.Parse(new string('[', 10) + new string(']', 10)), Is.Not.Null);
        Assert.That(LenientJson.Text(LenientJson.Parse("""{"a":true,"b":1.5,"c":[1],"d":null}"""), "a"), Is.EqualTo("True"));
        Assert.That(LenientJson.Text(LenientJson.Parse("""{"a":true,"b":1.5,"c":[1],"d":null}"""), "c"), Is.Null);
        Assert.That(LenientJson.Number(LenientJson.Parse("""{"n":"12"}"""), "n"), Is.EqualTo(12));
        Assert.That(LenientJson.Number(LenientJson.Parse("""{"n":"x"}"""), "n"), Is.Null);
    }

    [Test]
    public void An_answer_is_a_success_only_in_the_200s_and_looks_like_HTML_by_its_type_or_its_first_character()
    {
        Assert.That(new[] { 199, 200, 299, 300 }.Select(code => Answer(code).IsSuccess), Is.EqualTo(new[] { false, true, true, false }));
        Assert.That(Answer(200, "{}", "text/HTML; charset=utf-8").LooksLikeHtml, Is.True);
        Assert.That(Answer(200, "  <!doctype html>", null).LooksLikeHtml, Is.True);
        Assert.That(Answer(200, "{}", null).LooksLikeHtml, Is.False);
        Assert.That(Answer(200, "{}", "application/json").Header("x-missing"), Is.Null);
    }

    [TestCase(100, false)]
    [TestCase(101, true)]
    public async Task A_body_is_read_up_to_its_cap_and_one_byte_more_is_too_large(int size, bool tooLarge)
    {
        foreach (var declared in new[] { true, false })
        {
            using var message = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(new string('x', size)))) };
            if (declared)
            {
                message.Content.Headers.ContentLength = size;
            }

            var (text, large) = await CappedBody.ReadAsync(message, CancellationToken.None, limit: 100);

            Assert.That((large, text.Length), Is.EqualTo((tooLarge, tooLarge ? 0 : size)), $"Content-Length given: {declared}");
        }
    }
}
