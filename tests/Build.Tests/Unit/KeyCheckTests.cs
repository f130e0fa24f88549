using Build.Core;
using Build.Gateway;
using Build.Hardening;
using Build.Security;
using Build.Tests.Support;
using LiteLlmStandIn;
using Newtonsoft.Json.Linq;

namespace Build.Tests.Unit;

/// <summary>KeyCheck's lookup against the stand-in (answers modelled on LiteLLM's source) and its judgement of a key.</summary>
[TestFixture]
public sealed class KeyCheckTests
{
    private const string Master = "sk-master-0123456789";
    private const string Scoped = "sk-scoped-0123456789";
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    private static Task<StandInServer> StartAsync(params (string Key, VirtualKey Row)[] keys) =>
        StandInServer.StartAsync(new StandInOptions { MasterKey = Master, HasDatabase = true, VirtualKeys = keys.ToDictionary(pair => pair.Key, pair => pair.Row) });

    private static GatewayClient Client(StandInServer gateway, string key) =>
        new(TestSettings.For(gateway.BaseUrl.AbsoluteUri, key).Gateway, new EgressPolicy(EgressMode.Block));

    private static async Task<KeyOutcome> LookUpAsync(StandInServer gateway, string key, int warnDays = 14)
    {
        using var client = Client(gateway, key);
        return await new KeyProbe(client).RunAsync(DateTimeOffset.UtcNow, warnDays, CancellationToken.None);
    }

    private static string Unverified(StandInServer gateway, string key) =>
        Assert.ThrowsAsync<KeyUnverifiedException>(() => LookUpAsync(gateway, key))!.Reason;

    [Test]
    public async Task A_scoped_virtual_key_is_described_and_has_no_finding()
    {
        var expires = DateTimeOffset.UtcNow.AddDays(60);
        await using var gateway = await StartAsync((Scoped, new VirtualKey("ci-smoke", expires, 0.25, 5, ["gpt-4"], 10, 1000)));

        var outcome = await LookUpAsync(gateway, Scoped);

        Assert.That(outcome.Findings, Is.Empty);
        Assert.That(outcome.Detail, Is.EqualTo($"alias ci-smoke; expires {expires.UtcDateTime:yyyy-MM-dd}; spent $0.25 of $5.00; models gpt-4; rpm 10, tpm 1000"));
        Assert.That(outcome.Info!.Models, Is.EqualTo(new[] { "gpt-4" }));
        Assert.That(gateway.Requests.Select(request => (request.Method, request.Path, request.Authorization)), Is.EqualTo(new[] { ("GET", "/key/info", (string?)$"Bearer {Scoped}") }), "a self-lookup: the key in the header, no ?key=");
    }

    [Test]
    public async Task The_master_key_is_an_error_with_the_call_that_makes_a_scoped_key()
    {
        await using var gateway = await StartAsync();

        var finding = (await LookUpAsync(gateway, Master)).Findings.Single();

        Assert.That(finding.Severity, Is.EqualTo(Severity.Error));
        Assert.That(finding.Message, Does.Contain("master key"));
        Assert.That(finding.Fix, Does.Contain("/key/generate").And.Contain("<master key>").And.Contain("\"max_budget\"").And.Not.Contain(Master));
    }

    [Test]
    public async Task An_expired_key_and_a_key_over_budget_are_refused_by_LiteLLM_and_are_errors()
    {
        await using var gateway = await StartAsync(
            ("sk-expired-0123456789", new VirtualKey("old", DateTimeOffset.UtcNow.AddDays(-1), 0, 5, ["gpt-4"])),
            ("sk-spent-0123456789", new VirtualKey("spent", null, 5.5, 5, ["gpt-4"])));

        var expired = (await LookUpAsync(gateway, "sk-expired-0123456789")).Findings.Single();
        var spent = (await LookUpAsync(gateway, "sk-spent-0123456789")).Findings.Single();

        Assert.That((expired.Severity, expired.Message), Is.EqualTo((Severity.Error, "the key has expired: LiteLLM refuses it")));

        // LiteLLM enforces a key's own budget on LLM routes only (auth/user_api_key_auth.py): /key/info answers, and KeyCheck judges.
        Assert.That((spent.Severity, spent.Message), Is.EqualTo((Severity.Error, "the key has spent $5.50 of its $5.00 budget: calls are refused")));
    }

    [Test]
    public async Task Without_a_database_the_key_is_unverified_and_an_unknown_key_is_refused()
    {
        await using var noDatabase = await StandInServer.StartAsync(new StandInOptions { MasterKey = Master, HasDatabase = false });
        Assert.That(Unverified(noDatabase, Master), Is.EqualTo("LiteLLM runs without a database, so it has no virtual keys and the key that works can only be its master key"));

        using var client = Client(noDatabase, "sk-unknown-0123456789");
        var refused = Assert.ThrowsAsync<CheckFailedException>(() => new KeyProbe(client).RunAsync(Now, 14, CancellationToken.None))!.Failure;
        Assert.That((refused.Id, refused.Reason), Is.EqualTo(("bad-key", "/key/info: LiteLLM refused the key (400 no_db_connection: it has no database, and the key is not its master key)")));

        await using var withDatabase = await StartAsync();
        using var unknown = Client(withDatabase, "sk-unknown-0123456789");
        var failure = Assert.ThrowsAsync<CheckFailedException>(() => new KeyProbe(unknown).RunAsync(Now, 14, CancellationToken.None))!.Failure;
        Assert.That((failure.Id, new Redactor().Redact(failure.Reason)), Is.EqualTo(("bad-key", "/key/info: LiteLLM refused the key (401: Authentication Error, Invalid proxy server token passed. Unable to find token in cache or `LiteLLM_VerificationTokenTable`)")));
    }

    [Test]
    public async Task A_gateway_without_key_info_leaves_the_key_unverified()
    {
        await using var gateway = await StandInServer.StartAsync(new StandInOptions { MasterKey = Master, RootPath = "/litellm" });
        using var client = new GatewayClient(TestSettings.For(new Uri(gateway.BaseUrl, "/").AbsoluteUri, Master).Gateway, new EgressPolicy(EgressMode.Block));

        var reason = Assert.ThrowsAsync<KeyUnverifiedException>(() => new KeyProbe(client).RunAsync(Now, 14, CancellationToken.None))!.Reason;

        Assert.That(reason, Is.EqualTo("/key/info was not found (404): the gateway runs without virtual keys, or is not LiteLLM"));
    }

    private static KeyInfo Key(DateTimeOffset? expires = null, double spend = 0, double? budget = 10, string[]? models = null, string? user = "ci", string[]? routes = null) =>
        new("ci", expires, spend, budget, models ?? ["gpt-4"], null, null, user, routes ?? []);

    private static IEnumerable<string> Judge(KeyInfo key, int warnDays = 14) =>
        KeyAudit.Judge(key, Now, warnDays).Select(finding => $"{finding.Severity.ToString().ToLowerInvariant()}: {finding.Message}");

    [Test]
    public void A_key_the_proxy_admin_owns_or_that_may_manage_the_proxy_is_an_error()
    {
        Assert.That(Judge(Key(user: "default_user_id")), Is.EqualTo(new[] { "error: the key has the proxy admin's powers (it can mint keys, read spend and change models)" }));
        Assert.That(Judge(Key(routes: ["management_routes"])), Has.Exactly(1).StartsWith("error: the key has the proxy admin's powers"));
        Assert.That(Judge(Key(routes: ["llm_api_routes"])), Is.Empty);
    }

    [TestCase(-1.0, "error: the key expired on 2026-11-26 12:00 UTC")]
    [TestCase(0.0, "error: the key expired on 2026-11-27 12:00 UTC")]
    [TestCase(0.5, "warning: the key expires in 1 day(s), on 2026-11-28 00:00 UTC")]
    [TestCase(14.0, "warning: the key expires in 14 day(s), on 2026-12-11 12:00 UTC")]
    [TestCase(14.01, null)]
    public void Expiry_is_an_error_once_past_and_a_warning_within_the_warning_days(double days, string? finding)
    {
        var findings = Judge(Key(expires: Now.AddDays(days)));
        Assert.That(findings, finding is null ? Is.Empty : Is.EqualTo(new[] { finding }));
    }

    [Test]
    public void The_warning_days_are_the_setting()
    {
        Assert.That(Judge(Key(expires: Now.AddDays(20)), warnDays: 30), Has.Exactly(1).StartsWith("warning: the key expires in 20 day(s)"));
        Assert.That(Judge(Key(expires: Now.AddDays(1)), warnDays: 0), Is.Empty);
    }

    [TestCase(10.0, "error: the key has spent $10.00 of its $10.00 budget: calls are refused")]
    [TestCase(12.5, "error: the key has spent $12.50 of its $10.00 budget: calls are refused")]
    [TestCase(8.0, "warning: the key has spent $8.00 of its $10.00 budget (80%)")]
    [TestCase(7.99, null)]
    public void Spend_at_the_budget_is_an_error_and_from_80_percent_a_warning(double spend, string? finding)
    {
        var findings = Judge(Key(spend: spend));
        Assert.That(findings, finding is null ? Is.Empty : Is.EqualTo(new[] { finding }));
    }

    [Test]
    public void No_budget_and_every_model_are_warnings()
    {
        Assert.That(Judge(Key(budget: null)), Is.EqualTo(new[] { "warning: the key has no budget: a runaway loop can spend without limit" }));
        foreach (var models in new[] { Array.Empty<string>(), ["all-proxy-models"], ["gpt-4", "*"] })
        {
            Assert.That(Judge(Key(models: models)), Is.EqualTo(new[] { "warning: the key may call every model" }), string.Join(",", models));
        }
    }

    [Test]
    public void Key_info_is_read_leniently_and_a_budget_table_fills_in_the_budget()
    {
        var info = KeyInfo.From(JToken.Parse("""
            {"key_alias": null, "spend": "1.5", "max_budget": null, "expires": "2027-01-02T03:04:05.000000+00:00",
             "models": ["a", 1, null, "b"], "rpm_limit": null, "tpm_limit": 500, "user_id": null,
             "allowed_routes": null, "litellm_budget_table": {"max_budget": 20, "rpm_limit": 60}}
            """))!;

        Assert.That(info, Is.EqualTo(info with { Alias = null, Spend = 1.5, MaxBudget = 20, RpmLimit = 60, TpmLimit = 500, UserId = null }));
        Assert.That(info.Expires, Is.EqualTo(new DateTimeOffset(2027, 1, 2, 3, 4, 5, TimeSpan.Zero)));
        Assert.That(info.Models, Is.EqualTo(new[] { "a", "b" }));
        Assert.That(info.AllowedRoutes, Is.Empty);
        Assert.That(KeyAudit.Describe(info), Is.EqualTo("alias (none); expires 2027-01-02; spent $1.50 of $20.00; models a, b; rpm 60, tpm 500"));
        Assert.That(KeyInfo.From(JToken.Parse("[1]")), Is.Null);
        Assert.That(KeyAudit.Describe(Key(budget: null, models: [], expires: null) with { Alias = null }), Is.EqualTo("alias (none); never expires; spent $0.00, no budget; all models; rpm unlimited, tpm unlimited"));
        Assert.That(KeyAudit.Describe(Key(models: ["m1", "m2", "m3", "m4", "m5", "m6", "m7"])), Does.Contain("models m1, m2, m3, m4, m5 (+2)"));
    }
}

/// <summary>KeyProbe against answers the stand-in does not give: other LiteLLM versions and gateways that are not LiteLLM.</summary>
[TestFixture]
public sealed class KeyProbeAnswerTests
{
    private static async Task<KeyOutcome> LookUpAsync(RawGateway gateway)
    {
        using var client = new GatewayClient(TestSettings.For(gateway.Url, "sk-probe-0123456789", 3).Gateway, new EgressPolicy(EgressMode.Block));
        return await new KeyProbe(client).RunAsync(DateTimeOffset.UtcNow, 14, CancellationToken.None);
    }

    private static string Unverified(RawGateway gateway) => new Redactor().Redact(Assert.ThrowsAsync<KeyUnverifiedException>(() => LookUpAsync(gateway))!.Reason);

    private static RawGateway Answering(int status, string body) => new((_, _) => RawGateway.Json(status, body));

    [TestCase(401, "expired_key", "Authentication Error - Expired Key. Key Expiry time 2026-10-04", "the key has expired: LiteLLM refuses it")]
    [TestCase(400, "None", "Authentication Error - Expired Key. Key Expiry time 2026-10-04", "the key has expired: LiteLLM refuses it")]
    [TestCase(429, "budget_exceeded", "Budget has been exceeded! Current cost: 5.0, Max budget: 1.0", "the key has spent its whole budget: LiteLLM refuses it")]
    [TestCase(400, "None", "Budget has been exceeded! Current cost: 5.0, Max budget: 1.0", "the key has spent its whole budget: LiteLLM refuses it")]
    public async Task A_refusal_of_the_key_itself_is_an_error_whatever_the_status(int status, string type, string message, string finding)
    {
        using var gateway = Answering(status, $"{{\"error\":{{\"message\":\"{message}\",\"type\":\"{type}\",\"param\":\"None\",\"code\":\"{status}\"}}}}");

        var outcome = await LookUpAsync(gateway);

        Assert.That(outcome.Info, Is.Null);
        Assert.That(outcome.Findings.Select(item => (item.Severity, item.Message)), Is.EqualTo(new[] { (Severity.Error, finding) }));
        Assert.That(outcome.Detail, Is.EqualTo(finding));
    }

    [TestCase(200, "{\"key\":\"sk-x\"}", "/key/info answered 200 without LiteLLM's info object")]
    [TestCase(200, "[]", "/key/info answered 200 without LiteLLM's info object")]
    [TestCase(403, "{\"error\":{\"message\":\"You are not allowed to access this key's info. Your role=internal_user\"}}", "/key/info refused the lookup (403): You are not allowed to access this key's info. Your role=internal_user")]
    [TestCase(404, "{\"detail\":\"Not Found\"}", "/key/info was not found (404): the gateway runs without virtual keys, or is not LiteLLM")]
    [TestCase(502, "{\"error\":{\"message\":\"upstream reset\"}}", "/key/info answered 502: upstream reset")]
    [TestCase(429, "{\"error\":{\"message\":\"slow down\"}}", "/key/info answered 429: slow down")]
    [TestCase(418, "", "/key/info answered 418")]
    [TestCase(500, "{\"error\":{\"message\":\"Database not connected. Connect a database to your proxy\",\"type\":\"internal_server_error\"}}", "LiteLLM runs without a database, so it has no virtual keys and the key that works can only be its master key")]
    public void Answers_that_say_nothing_about_the_key_leave_it_unverified_with_the_reason(int status, string body, string reason)
    {
        using var gateway = Answering(status, body);
        Assert.That(Unverified(gateway), Is.EqualTo(reason));
    }

    [TestCase(401, "", "/key/info: LiteLLM refused the key (401: no reason given)")]
    [TestCase(400, "{\"error\":{\"message\":\"No connected db.\",\"type\":\"no_db_connection\"}}", "/key/info: LiteLLM refused the key (400 no_db_connection: it has no database, and the key is not its master key)")]
    public void A_key_LiteLLM_refuses_at_its_self_lookup_is_a_bad_key(int status, string body, string reason)
    {
        using var gateway = Answering(status, body);
        var failure = Assert.ThrowsAsync<CheckFailedException>(() => LookUpAsync(gateway))!.Failure;
        Assert.That((failure.Id, failure.Reason), Is.EqualTo(("bad-key", reason)));
    }

    [Test]
    public void A_lookup_that_times_out_leaves_the_key_unverified()
    {
        using var peer = new SilentPeer();
        using var client = new GatewayClient(TestSettings.For($"http://127.0.0.1:{peer.Port}", "sk-probe-0123456789", 1).Gateway, new EgressPolicy(EgressMode.Block));
        var reason = Assert.ThrowsAsync<KeyUnverifiedException>(() => new KeyProbe(client).RunAsync(DateTimeOffset.UtcNow, 14, CancellationToken.None))!.Reason;
        Assert.That(reason, Does.StartWith("/key/info could not be asked: "));
    }

    [Test]
    public async Task A_404_that_is_LiteLLMs_not_found_error_is_the_master_key()
    {
        using var gateway = Answering(404, "{\"error\":{\"message\":\"Key not found in database\",\"type\":\"not_found_error\",\"param\":\"key\",\"code\":\"404\"}}");

        var finding = (await LookUpAsync(gateway)).Findings.Single();

        Assert.That(finding.Message, Is.EqualTo("the key is LiteLLM's master key (it authenticates but is no virtual key): full admin in a CI secret"));
        Assert.That(finding.Fix, Is.EqualTo(KeyAudit.ScopedKeyFix));
        Assert.That(gateway.RequestLines.Single(), Is.EqualTo("GET /key/info HTTP/1.1"), "one self-lookup, no ?key=, no retry");
    }

    [Test]
    public void Answers_shaped_as_arrays_are_classified_not_unexpected()
    {
        using var models = new RawGateway((_, _) => RawGateway.Json(200, "[]"));
        using var client = new GatewayClient(TestSettings.For(models.Url, "sk-probe-0123456789", 3).Gateway, new EgressPolicy(EgressMode.Block));
        var failure = Assert.ThrowsAsync<CheckFailedException>(() => new ChatProbe(client).ListModelsAsync(CancellationToken.None))!.Failure;
        Assert.That((failure.Id, failure.Reason), Is.EqualTo(("not-gateway", "/v1/models answered 200 without an OpenAI model list")));

        using var deep = new RawGateway((_, requestLine) => requestLine.StartsWith("GET /health/liveliness", StringComparison.Ordinal) ? RawGateway.Json(200, "\"I'm alive!\"")
            : requestLine.StartsWith("GET /health/readiness", StringComparison.Ordinal) ? RawGateway.Json(200, "{\"status\":\"healthy\"}")
            : RawGateway.Json(200, "[]"));
        using var deepClient = new GatewayClient(TestSettings.For(deep.Url, "sk-probe-0123456789", 3).Gateway, new EgressPolicy(EgressMode.Block));
        Assert.That(async () => await new HealthProbe(deepClient).RunAsync("/health/liveliness", deep: true, CancellationToken.None), Throws.Nothing);
    }
}
