using Build.Gateway;
using Build.Security;
using Build.Tests.Support;

namespace Build.Tests.Unit;

/// <summary>HealthCheck's reading of liveliness, readiness and /health, answer by answer.</summary>
[TestFixture]
public sealed class HealthAnswerTests
{
    private const string Key = "sk-health-0123456789";

    private static RawGateway Gateway(Func<string, byte[]> byPath) =>
        new((_, requestLine) => byPath(requestLine.Split(' ')[1]));

    private static async Task<HealthOutcome> CheckAsync(RawGateway gateway, string path = "/health/liveliness", bool deep = false)
    {
        using var client = new GatewayClient(TestSettings.For(gateway.Url, Key, 3).Gateway, new EgressPolicy(EgressMode.Block));
        return await new HealthProbe(client).RunAsync(path, deep, CancellationToken.None);
    }

    private static Failure Fails(RawGateway gateway, string path = "/health/liveliness", bool deep = false) =>
        Assert.ThrowsAsync<CheckFailedException>(() => CheckAsync(gateway, path, deep))!.Failure;

    private static readonly byte[] Alive = RawGateway.Json(200, "\"I'm alive!\"");

    [TestCase(401, "; /health/readiness needs a key here (401), not checked")]
    [TestCase(403, "; /health/readiness needs a key here (403), not checked")]
    [TestCase(404, "; /health/readiness answered 404, not checked")]
    [TestCase(429, "; /health/readiness answered 429, not checked")]
    public async Task Readiness_that_does_not_answer_is_noted_not_failed(int status, string note)
    {
        using var gateway = Gateway(path => path == "/health/liveliness" ? Alive : RawGateway.Json(status, "{}"));

        var outcome = await CheckAsync(gateway);

        Assert.That(outcome.Detail, Does.EndWith(note));
        Assert.That((outcome.IsLiteLlm, outcome.LiteLlmVersion, outcome.Database), Is.EqualTo((true, (string?)null, (string?)null)));
    }

    [Test]
    public async Task Readiness_without_a_version_falls_back_to_the_header_and_says_what_is_missing()
    {
        using var gateway = Gateway(path => path == "/health/liveliness" ? Alive : RawGateway.Json(200, "{\"status\":\"healthy\"}", "x-litellm-version: 1.80.0"));
        var outcome = await CheckAsync(gateway);
        Assert.That(outcome.Detail, Does.EndWith("; LiteLLM 1.80.0, database not reported"));

        using var bare = Gateway(path => path == "/health/liveliness" ? Alive : RawGateway.Json(200, "{\"status\":\"Healthy\"}"));
        Assert.That((await CheckAsync(bare)).Detail, Does.EndWith("; LiteLLM (version not given), database not reported"));

        using var early = Gateway(path => path == "/health/liveliness" ? Alive : RawGateway.Json(200, "{\"status\":\"connected\",\"db\":\"Not connected\"}"));
        Assert.That((await CheckAsync(early)).Database, Is.EqualTo("Not connected"), "early LiteLLM said connected; no database configured is by design");
    }

    [TestCase("{}", "not-litellm", "/health/readiness answered 200 without LiteLLM's status field")]
    [TestCase("\"ok\"", "not-litellm", "/health/readiness answered 200 without LiteLLM's status field")]
    [TestCase("{\"status\":\"unhealthy\"}", "not-ready", "/health/readiness answered status \"unhealthy\"")]
    [TestCase("{\"status\":\"unhealthy\",\"db\":\"connected\"}", "not-ready", "/health/readiness answered status \"unhealthy\", database \"connected\"")]
    [TestCase("{\"status\":\"healthy\",\"db\":\"disconnected\"}", "not-ready", "/health/readiness: the gateway's database is disconnected (virtual keys, budgets and spend cannot be checked)")]
    [TestCase("{\"status\":\"healthy\",\"db\":\"Disconnected\"}", "not-ready", "/health/readiness: the gateway's database is disconnected (virtual keys, budgets and spend cannot be checked)")]
    public void Readiness_passes_only_when_it_says_healthy_without_a_disconnected_database(string body, string failure, string reason)
    {
        using var gateway = Gateway(path => path == "/health/liveliness" ? Alive : RawGateway.Json(200, body));

        var failed = Fails(gateway);

        Assert.That((failed.Id, failed.Reason), Is.EqualTo((failure, reason)));
    }

    [TestCase(500)]
    [TestCase(502)]
    public void Readiness_that_fails_on_the_server_fails_HealthCheck(int status)
    {
        using var gateway = Gateway(path => path == "/health/liveliness" ? Alive : RawGateway.Json(status, "{\"error\":{\"message\":\"boom\"}}"));

        var failed = Fails(gateway);

        Assert.That((failed.Id, new Redactor().Redact(failed.Reason)), Is.EqualTo(("not-ready", $"/health/readiness answered {status}: boom")));
    }

    [Test]
    public void Readiness_503_fails_with_the_gateways_reason()
    {
        using var gateway = Gateway(path => path == "/health/liveliness" ? Alive : RawGateway.Json(503, "{\"detail\":\"Service Unhealthy (Database not connected)\"}"));

        var failure = Fails(gateway);

        Assert.That((failure.Id, new Redactor().Redact(failure.Reason)), Is.EqualTo(("not-ready", "/health/readiness answered 503: Service Unhealthy (Database not connected)")));
    }

    [Test]
    public async Task Another_gateways_health_path_is_asked_with_the_key_and_no_readiness_follows()
    {
        using var gateway = Gateway(_ => RawGateway.Json(200, "{\"status\":\"ok\"}"));

        var outcome = await CheckAsync(gateway, "/healthz");

        Assert.That(outcome.IsLiteLlm, Is.False);
        Assert.That(outcome.Detail, Does.Match(@"^/healthz answered 200 in \d+ ms$"));
        Assert.That(gateway.Heads.Single(), Does.StartWith("GET /healthz").And.Contain($"Authorization: Bearer {Key}"));
    }

    [Test]
    public async Task A_LiteLLM_version_header_marks_LiteLLM_whatever_the_body()
    {
        using var gateway = Gateway(path => path == "/health/liveliness" ? RawGateway.Json(200, "{\"ok\":true}", "x-litellm-version: 1.74.9") : RawGateway.Json(200, "{\"status\":\"healthy\",\"db\":\"connected\"}"));

        var outcome = await CheckAsync(gateway);

        Assert.That((outcome.IsLiteLlm, outcome.LiteLlmVersion, outcome.Database), Is.EqualTo((true, "1.74.9", "connected")));
        Assert.That(gateway.Heads.Select(head => head.Split(' ')[1]), Is.EqualTo(new[] { "/health/liveliness", "/health/readiness" }));
        Assert.That(gateway.Heads, Has.None.Contains("Authorization"), "the cheap endpoints go without the key");
    }

    [TestCase("not json at all")]
    [TestCase("<html>login</html>")]
    public void A_liveliness_answer_that_is_not_JSON_is_not_the_gateway(string body)
    {
        using var gateway = Gateway(_ => RawGateway.Http("200 OK\r\nContent-Type: text/plain", body));

        Assert.That(Fails(gateway).Reason, Is.EqualTo("/health/liveliness answered 200 with a body that is not JSON"));
    }

    [TestCase("", "an empty body")]
    [TestCase("{\"choices\":[]}", "a JSON object")]
    [TestCase("[1]", "a JSON array")]
    [TestCase("true", "a JSON boolean")]
    public void On_LiteLLMs_liveliness_path_only_LiteLLMs_answer_passes(string body, string shape)
    {
        using var gateway = Gateway(_ => RawGateway.Http("200 OK", body));

        var failed = Fails(gateway);

        Assert.That((failed.Id, failed.Reason), Is.EqualTo(("not-litellm", $"/health/liveliness answered 200 with {shape} and no x-litellm-version header, not as LiteLLM answers")));
    }

    [Test]
    public async Task An_empty_answer_on_another_health_path_is_accepted_as_not_LiteLLM_and_kept_for_the_catch_all_check()
    {
        using var gateway = Gateway(_ => RawGateway.Http("200 OK", string.Empty));
        var outcome = await CheckAsync(gateway, "/healthz");
        Assert.That((outcome.IsLiteLlm, outcome.Answer), Is.EqualTo((false, string.Empty)));
    }

    [Test]
    public async Task Readiness_as_the_health_path_is_LiteLLM_by_its_version_field()
    {
        using var gateway = Gateway(_ => RawGateway.Json(200, "{\"status\":\"healthy\",\"db\":\"connected\",\"litellm_version\":\"1.80.0\"}"));
        var outcome = await CheckAsync(gateway, "/health/readiness");
        Assert.That((outcome.IsLiteLlm, outcome.LiteLlmVersion), Is.EqualTo((true, "1.80.0")));
    }

    [Test]
    public async Task The_deep_check_counts_from_the_lists_when_counts_are_missing()
    {
        using var gateway = Gateway(path => path switch
        {
            "/health/liveliness" => Alive,
            "/health/readiness" => RawGateway.Json(200, "{\"status\":\"healthy\"}"),
            _ => RawGateway.Json(200, "{\"healthy_endpoints\":[{\"model\":\"a\"},{\"model\":\"b\"}],\"unhealthy_endpoints\":[]}"),
        });

        var outcome = await CheckAsync(gateway, deep: true);

        Assert.That((outcome.HealthyModels, outcome.UnhealthyModels), Is.EqualTo(((int?)2, (int?)0)));
        Assert.That(outcome.Detail, Does.EndWith("; 2 model(s) healthy"));
        Assert.That(gateway.Heads.Single(head => head.StartsWith("GET /health ", StringComparison.Ordinal)), Does.Contain($"Authorization: Bearer {Key}"));
    }

    [Test]
    public void The_deep_check_names_at_most_ten_unhealthy_models_each_once()
    {
        var unhealthy = string.Join(",", Enumerable.Range(1, 12).SelectMany(index => new[] { $"{{\"model\":\"m{index}\",\"error\":\"key sk-upstream-secret at host\"}}", $"{{\"model\":\"m{index}\"}}" }));
        using var gateway = Gateway(path => path switch
        {
            "/health/liveliness" => Alive,
            "/health/readiness" => RawGateway.Json(200, "{\"status\":\"healthy\"}"),
            _ => RawGateway.Json(200, $"{{\"healthy_count\":1,\"unhealthy_count\":24,\"unhealthy_endpoints\":[{unhealthy}]}}"),
        });

        var failure = Fails(gateway, deep: true);

        Assert.That(failure.Id, Is.EqualTo("unhealthy-models"));
        Assert.That(failure.Reason, Is.EqualTo("/health: 24 unhealthy model(s): m1, m2, m3, m4, m5, m6, m7, m8, m9, m10"));
    }

    [Test]
    public void A_deep_check_that_is_refused_is_classified()
    {
        using var gateway = Gateway(path => path switch
        {
            "/health/liveliness" => Alive,
            "/health/readiness" => RawGateway.Json(200, "{\"status\":\"healthy\"}"),
            _ => RawGateway.Json(401, "{\"error\":{\"message\":\"Authentication Error\",\"type\":\"auth_error\"}}"),
        });

        Assert.That(Fails(gateway, deep: true).Id, Is.EqualTo("bad-key"));
    }
}
