using Build.Tests.Support;
using LiteLlmStandIn;

namespace Build.Tests.EndToEnd;

[TestFixture]
[Order(4)]
public sealed class VerifyTests : GatewayFixture
{
    private readonly WaitingCases _waiting = new();

    /// <summary>The main runs keep the warm-up users get on a 2-core machine: it must change nothing they see.</summary>
    protected override bool WarmUp => true;

    /// <summary>The two runs that mostly wait (a 2 s deadline, two Retry-After waits) wait beside the other tests.</summary>
    [OneTimeSetUp]
    public void StartWaitingRuns()
    {
        _waiting.Start(nameof(A_silent_peer_fails_within_the_deadline), SilentPeerAsync);
        _waiting.Start(nameof(A_429_with_a_short_retry_after_is_retried_within_the_deadline), ShortRetryAfterAsync);
    }

    [OneTimeTearDown]
    public Task EndWaitingRuns() => _waiting.EndAsync();

    [Test]
    public async Task A_healthy_gateway_passes_and_reports_what_answered()
    {
        await using var gateway = await StartGatewayAsync();
        var run = Verify(gateway);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        var report = run.Report;
        Assert.That((string?)report["status"], Is.EqualTo("passed"));
        Assert.That((string?)run.Task("HealthCheck")["status"], Is.EqualTo("passed"));
        Assert.That((string?)run.Task("ChatSmoke")["status"], Is.EqualTo("passed"));
        Assert.That((string?)report["gateway"]!["litellmVersion"], Is.EqualTo("1.74.9"));
        Assert.That((long?)report["chat"]!["totalTokens"], Is.EqualTo(30));
        Assert.That((string?)report["chat"]!["modelId"], Is.EqualTo("0d7c5e0f4a9b"));
        Assert.That((string?)report["chat"]!["modelApiBase"], Is.EqualTo("***"));
        Assert.That(run.StepSummary, Does.Contain("| HealthCheck | ✅ passed"));
        Assert.That(run.StepSummary, Does.Contain("| ChatSmoke | ✅ passed"));
        Assert.That(run.StandardOutput, Does.Contain("Verify passed"));

        // The warm-up's in-memory gateway (build/Warmup) is neither contacted nor recorded nor shown.
        // (Origins are masked in the report; the warm-up's would be "other", not loopback.)
        Assert.That(report["egress"]!["destinations"]!.Select(destination => (string?)destination["host"]), Is.EqualTo(new[] { "loopback" }));
        Assert.That(run.Output, Does.Not.Contain("warm"));

        // The same run as JUnit XML, parsed back: one testcase per task that checked something.
        var junit = System.Xml.Linq.XDocument.Parse(run.JUnit);
        var suite = junit.Root!.Element("testsuite")!;
        Assert.That(suite.Elements("testcase").Select(test => (string?)test.Attribute("name")), Is.EqualTo(run.Report["tasks"]!.Select(task => (string?)task["name"])));
        Assert.That((string?)suite.Attribute("failures"), Is.EqualTo("0"));
        Assert.That((string?)suite.Attribute("name"), Is.EqualTo("Verify"));
    }

    [Test]
    public async Task Only_the_cheap_health_endpoints_are_called_and_the_key_goes_only_to_its_lookup_and_chat()
    {
        await using var gateway = await StartGatewayAsync();
        var run = Verify(gateway);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        var paths = gateway.Requests.Select(request => request.Path).ToList();
        Assert.That(paths, Is.EqualTo(new[] { "/health/liveliness", "/health/readiness", "/key/info", "/v1/chat/completions" }));
        Assert.That(gateway.Requests.Where(request => request.Authorization is not null).Select(request => request.Path), Is.EqualTo(new[] { "/key/info", "/v1/chat/completions" }));
    }

    [Test]
    public async Task A_path_prefix_is_kept_and_a_missing_prefix_is_a_404_with_its_fix()
    {
        await using var gateway = await StartGatewayAsync(new StandInOptions { RootPath = "/litellm" });
        Assert.That(Verify(gateway).ExitCode, Is.EqualTo(0));

        var withoutPrefix = Verify(new Uri(gateway.BaseUrl, "/").AbsoluteUri, Canary);
        AssertFailedWith(withoutPrefix, "HealthCheck", "not-found");
        Assert.That((string?)withoutPrefix.Task("HealthCheck")["hint"], Does.Contain("SERVER_ROOT_PATH"));
    }

    [Test]
    public void A_refused_connection_fails_HealthCheck_and_skips_ChatSmoke_with_the_reason()
    {
        var port = Loopback.UnusedPort();
        // Refused connections are retried until the deadline (a new tailnet peer can take a while): one second here.
        var run = Verify($"https://localhost:{port}", Canary, "--deadline=1");

        AssertFailedWith(run, "HealthCheck", "refused");
        Assert.That((string?)run.Task("ChatSmoke")["status"], Is.EqualTo("skipped"));
        Assert.That((string?)run.Task("ChatSmoke")["detail"], Does.Contain("HealthCheck failed"));
        var cases = System.Xml.Linq.XDocument.Parse(run.JUnit).Descendants("testcase").ToDictionary(test => (string)test.Attribute("name")!);
        Assert.That((string?)cases["HealthCheck"].Element("failure")!.Attribute("type"), Is.EqualTo("refused"));
        Assert.That((string?)cases["HealthCheck"].Element("failure")!.Attribute("message"), Does.Contain(". Fix: Start the gateway"));
        Assert.That((string?)cases["ChatSmoke"].Element("skipped")!.Attribute("message"), Does.Contain("HealthCheck failed"));
        Assert.That(run.StepSummary, Does.Contain("❌ failed"));
    }

    [Test]
    public async Task A_silent_peer_fails_within_the_deadline()
    {
        var (run, url, took) = await _waiting.SeenAsync<(BuildRun, string, TimeSpan)>(nameof(A_silent_peer_fails_within_the_deadline));

        AssertNothingLeaked(run, url, Canary);
        AssertFailedWith(run, "HealthCheck", "timeout");
        Assert.That(took, Is.LessThan(TimeSpan.FromSeconds(30)), "the deadline was not honoured");
    }

    private async Task<(BuildRun Run, string Url, TimeSpan Took)> SilentPeerAsync()
    {
        using var peer = new SilentPeer();
        var url = $"https://localhost:{peer.Port}";
        var started = DateTime.UtcNow;
        var run = await WaitingCases.OnItsOwnThreadAsync(() => StartVerify(url, Canary, "--deadline=2"));
        return (run, url, DateTime.UtcNow - started);
    }

    [Test]
    public void An_unknown_host_is_a_dns_failure()
    {
        var run = Verify("https://no-such-gateway.invalid:8443", Canary);
        AssertFailedWith(run, "HealthCheck", "dns");
    }

    [Test]
    public async Task A_certificate_from_an_unknown_CA_is_refused_without_ca_cert()
    {
        await using var gateway = await StartGatewayAsync();
        var run = Run(gateway, "--target=Verify", "--deadline=5");
        AssertFailedWith(run, "HealthCheck", "tls-untrusted");
        Assert.That(gateway.Requests, Is.Empty, "a request crossed an unverified connection");
    }

    [Test]
    public async Task A_certificate_for_another_name_is_a_name_mismatch()
    {
        await using var gateway = await StartGatewayAsync();
        var run = Verify($"https://127.0.0.1:{gateway.Port}", Canary);
        AssertFailedWith(run, "HealthCheck", "tls-name-mismatch");
    }

    [Test]
    public async Task An_expired_certificate_is_named_as_expired()
    {
        await using var gateway = await StartGatewayAsync(new StandInOptions { ExpiredCertificate = true });
        var run = Verify(gateway);
        AssertFailedWith(run, "HealthCheck", "tls-expired");
    }

    [Test]
    public async Task Insecure_skips_verification_loudly()
    {
        await using var gateway = await StartGatewayAsync();
        var run = Run(gateway, "--target=Verify", "--insecure", "--deadline=5");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(run.Output, Does.Contain("TLS verification is OFF"));
        Assert.That((string?)run.Report["tlsVerification"], Does.StartWith("skipped"));
        Assert.That(run.StepSummary, Does.Contain("TLS verification is OFF"));
    }

    [Test]
    public async Task A_redirect_is_not_followed_and_names_the_target_origin()
    {
        await using var gateway = await StartGatewayAsync(new StandInOptions { Liveliness = LivelinessMode.Redirect });
        var run = Verify(gateway);

        AssertFailedWith(run, "HealthCheck", "redirect");
        Assert.That((string?)run.Task("HealthCheck")["detail"], Does.Contain("https://login.example.com"));
    }

    [Test]
    public async Task An_html_page_is_not_the_gateway()
    {
        await using var gateway = await StartGatewayAsync(new StandInOptions { Liveliness = LivelinessMode.HtmlPage });
        AssertFailedWith(Verify(gateway), "HealthCheck", "not-gateway");
    }

    [Test]
    public async Task A_huge_body_is_cut_off()
    {
        await using var gateway = await StartGatewayAsync(new StandInOptions { Liveliness = LivelinessMode.HugeBody });
        AssertFailedWith(Verify(gateway), "HealthCheck", "body-too-large");
    }

    [Test]
    public async Task A_gateway_that_is_not_ready_fails_with_the_readiness_reason()
    {
        await using var gateway = await StartGatewayAsync(new StandInOptions { Ready = false });
        var run = Verify(gateway);

        AssertFailedWith(run, "HealthCheck", "not-ready");
        Assert.That((string?)run.Task("HealthCheck")["detail"], Does.Contain("Database not connected"));
    }

    [Test]
    public async Task The_deep_check_is_opt_in_and_names_unhealthy_models_without_their_errors()
    {
        await using var gateway = await StartGatewayAsync();
        var run = Verify(gateway, "--deep-health");

        AssertFailedWith(run, "HealthCheck", "unhealthy-models");
        Assert.That((string?)run.Task("HealthCheck")["detail"], Does.Contain("openai/broken"));
        Assert.That(gateway.Requests.Select(request => request.Path), Does.Contain("/health"));
    }

    [Test]
    public async Task A_wrong_key_on_a_proxy_with_a_database_is_a_bad_key()
    {
        await using var gateway = await StartGatewayAsync();
        var run = Verify(gateway.BaseUrl.AbsoluteUri, "sk-wrong-key-0000");
        AssertFailedWith(run, "ChatSmoke", "bad-key");
        Assert.That((string?)run.Task("KeyCheck")["failure"], Is.EqualTo("bad-key"), "its self-lookup is refused first");
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task A_wrong_key_on_a_master_key_only_proxy_400_no_db_connection_is_a_bad_key(bool codeAsNumber)
    {
        await using var gateway = await StartGatewayAsync(new StandInOptions { ErrorCodeAsNumber = codeAsNumber, HasDatabase = false });
        var run = Verify(gateway.BaseUrl.AbsoluteUri, "sk-wrong-key-0000");

        AssertFailedWith(run, "ChatSmoke", "bad-key");
        Assert.That((string?)run.Task("ChatSmoke")["detail"], Does.Contain("no_db_connection"));
    }

    [Test]
    public async Task No_key_for_a_proxy_that_needs_one_says_to_set_LITELLM_API_KEY()
    {
        await using var gateway = await StartGatewayAsync();
        var run = Verify(gateway.BaseUrl.AbsoluteUri, key: null);

        AssertFailedWith(run, "ChatSmoke", "missing-key");
        Assert.That((string?)run.Task("ChatSmoke")["hint"], Does.Contain("LITELLM_API_KEY"));
    }

    [Test]
    public async Task An_unknown_model_lists_the_models_that_exist()
    {
        await using var gateway = await StartGatewayAsync();
        var run = Verify(gateway, "--model=gpt-5-nonexistent");

        AssertFailedWith(run, "ChatSmoke", "unknown-model");
        Assert.That((string?)run.Task("ChatSmoke")["detail"], Does.Contain("gpt-4o-mini"));
    }

    [Test]
    public async Task A_429_with_a_short_retry_after_is_retried_within_the_deadline()
    {
        var (run, url, chatRequests) = await _waiting.SeenAsync<(BuildRun, string, int)>(nameof(A_429_with_a_short_retry_after_is_retried_within_the_deadline));

        AssertNothingLeaked(run, url, Canary);
        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(chatRequests, Is.EqualTo(3));
    }

    private async Task<(BuildRun Run, string Url, int ChatRequests)> ShortRetryAfterAsync()
    {
        await using var gateway = await StartGatewayAsync();
        var url = gateway.BaseUrl.AbsoluteUri;
        var run = await WaitingCases.OnItsOwnThreadAsync(() => StartVerify(url, Canary, "--model=flaky"));
        return (run, url, gateway.Requests.Count(request => request.Path == "/v1/chat/completions"));
    }

    [Test]
    public async Task A_429_asking_for_longer_than_the_deadline_fails_at_once()
    {
        await using var gateway = await StartGatewayAsync();
        var run = Verify(gateway, "--model=rate-limited");

        AssertFailedWith(run, "ChatSmoke", "rate-limited");
        Assert.That(gateway.Requests.Count(request => request.Path == "/v1/chat/completions"), Is.EqualTo(1));
    }

    [Test]
    public async Task A_server_error_is_classified_with_the_gateway_message()
    {
        await using var gateway = await StartGatewayAsync();
        var run = Verify(gateway, "--model=boom");

        AssertFailedWith(run, "ChatSmoke", "server-error");
        Assert.That((string?)run.Task("ChatSmoke")["detail"], Does.Contain("InternalServerError"));
    }

    [Test]
    public async Task A_request_the_gateway_rejects_carries_the_gateways_message()
    {
        await using var gateway = await StartGatewayAsync();
        var run = Verify(gateway, "--max-tokens=32768");

        AssertFailedWith(run, "ChatSmoke", "rejected");
        Assert.That((string?)run.Task("ChatSmoke")["detail"], Does.Contain("answered 400").And.Contain("max_tokens is too large"));
    }

    [Test]
    public async Task Empty_content_at_the_token_limit_asks_for_more_max_tokens()
    {
        await using var gateway = await StartGatewayAsync();
        var run = Verify(gateway, "--model=reasoning");

        AssertFailedWith(run, "ChatSmoke", "empty-content");
        Assert.That((string?)run.Task("ChatSmoke")["hint"], Does.Contain("--max-tokens"));
    }

    [Test]
    public async Task Streaming_frames_are_read_to_DONE()
    {
        await using var gateway = await StartGatewayAsync();
        var run = Verify(gateway, "--stream");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That((bool?)run.Report["chat"]!["streamed"], Is.True);
    }

    [Test]
    public async Task An_error_inside_the_stream_fails_ChatSmoke()
    {
        await using var gateway = await StartGatewayAsync();
        var run = Verify(gateway, "--stream", "--model=broken-stream");
        AssertFailedWith(run, "ChatSmoke", "stream-broken");
    }

    [Test]
    public async Task ChatSmoke_runs_alone_with_exclusive()
    {
        await using var gateway = await StartGatewayAsync();
        var run = Run(gateway, "--target=ChatSmoke", "--exclusive", $"--ca-cert={CaPath}");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(gateway.Requests.Select(request => request.Path), Is.EqualTo(new[] { "/v1/chat/completions" }));
        Assert.That(run.Report["tasks"]!.Select(task => (string?)task["name"]), Is.EqualTo(new[] { "ChatSmoke" }));
    }

    [Test]
    public async Task A_failing_exclusive_target_exits_non_zero_with_one_line()
    {
        await using var gateway = await StartGatewayAsync();
        var run = Run(gateway, "--target=ChatSmoke", "--exclusive", $"--ca-cert={CaPath}", "--model=boom");
        AssertFailedWith(run, "ChatSmoke", "server-error");
    }

    [Test]
    public async Task Plain_http_to_loopback_passes()
    {
        await using var gateway = await StandInServer.StartAsync(new StandInOptions { MasterKey = MasterKey, VirtualKeys = new Dictionary<string, VirtualKey> { [Canary] = ScopedKey(new StandInOptions().Models) } });
        var environment = new Dictionary<string, string> { ["LITELLM_API_KEY"] = Canary };
        var run = BuildRun.Start(["--target=Verify", $"--litellm-url=http://127.0.0.1:{gateway.Port}"], environment);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(run.Everything, Does.Not.Contain(Canary));
    }
}
