using System.Xml.Linq;
using Build.Tests.Support;
using LiteLlmStandIn;

namespace Build.Tests.EndToEnd;

/// <summary>
/// One verdict, earned by positive evidence: gateways broken in ways a naive check lets pass, and runs whose
/// target checks nothing. Every run here also passes BuildRun's check that exit code, report, JUnit and step
/// summary agree.
/// </summary>
[TestFixture]
[Order(5)]
public sealed class VerdictTests : GatewayFixture
{
    private const string Chat = """{"id":"chatcmpl-1","object":"chat.completion","model":"gpt-4","choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant","content":"pong"}}],"usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}""";

    private static readonly string KeyInfo = $$$"""{"key":"sk-...0000","info":{"key_alias":"ci-smoke","spend":0,"max_budget":5,"expires":"{{{DateTimeOffset.UtcNow.AddDays(90):yyyy-MM-ddTHH:mm:ss}}}","models":["gpt-4"],"rpm_limit":10,"user_id":null,"allowed_routes":[]}}""";

    /// <summary>A LiteLLM on raw TCP: each path answers as LiteLLM does unless <paramref name="answers"/> says otherwise.</summary>
    private static RawGateway LiteLlm(Func<string, byte[]?> answers) => new((_, line) =>
    {
        var path = line.Split(' ')[1];
        return answers(path) ?? path switch
        {
            "/health/liveliness" => RawGateway.Json(200, "\"I'm alive!\""),
            "/health/readiness" => RawGateway.Json(200, """{"status":"healthy","db":"connected","litellm_version":"1.80.0"}"""),
            "/key/info" => RawGateway.Json(200, KeyInfo),
            "/v1/chat/completions" => RawGateway.Json(200, Chat, "x-litellm-version: 1.80.0"),
            _ => RawGateway.Json(404, """{"detail":"Not Found"}"""),
        };
    });

    private static void AssertSummaryRow(BuildRun run, string task, string status) =>
        Assert.That(run.StepSummary, Does.Contain($"| {task} | {(status == "passed" ? "✅" : status == "failed" ? "❌" : "⏭️")} {status}"), run.ToString());

    [Test]
    public async Task A_healthy_gateway_with_a_scoped_key_passes_with_KeyChecks_verdict_in_every_output()
    {
        await using var gateway = await StartGatewayAsync();
        var run = Verify(gateway);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That((string?)run.Report["status"], Is.EqualTo("passed"));
        Assert.That((string?)run.Task("KeyCheck")["status"], Is.EqualTo("passed"));
        Assert.That((string?)run.Task("KeyCheck")["detail"], Does.StartWith("alias ci-smoke; expires "));
        Assert.That((string?)run.Report["key"]!["alias"], Is.EqualTo("ci-smoke"));
        Assert.That(run.Report["key"]!["findings"], Is.Empty, "scoped, budgeted and far from expiry: nothing to say");
        AssertSummaryRow(run, "KeyCheck", "passed");
        var keyCase = XDocument.Parse(run.JUnit).Descendants("testcase").Single(test => (string?)test.Attribute("name") == "KeyCheck");
        Assert.That(keyCase.Element("system-out")!.Value, Does.StartWith("alias ci-smoke"));
        Assert.That(run.StandardOutput, Does.Contain("✓ KeyCheck: alias ci-smoke"));
    }

    [Test]
    public void Readiness_unhealthy_with_the_database_disconnected_fails_HealthCheck()
    {
        using var gateway = LiteLlm(path => path switch
        {
            "/health/readiness" => RawGateway.Json(200, """{"status":"unhealthy","db":"disconnected","litellm_version":"1.80.0"}"""),
            "/health" => RawGateway.Json(200, """{"healthy_endpoints":[],"unhealthy_endpoints":[{"model":"gpt-4"}],"healthy_count":0,"unhealthy_count":1}"""),
            _ => null,
        });
        var run = Verify(gateway.Url, Canary);

        AssertFailedWith(run, "HealthCheck", "not-ready");
        Assert.That((string?)run.Task("HealthCheck")["detail"], Is.EqualTo("/health/readiness answered status \"unhealthy\", database \"disconnected\""));
        AssertSummaryRow(run, "HealthCheck", "failed");
    }

    [Test]
    public async Task A_database_that_is_down_fails_HealthCheck_although_readiness_answers_200_as_LiteLLM_does()
    {
        await using var gateway = await StartGatewayAsync(new StandInOptions { DatabaseDown = true });
        var run = Verify(gateway);

        AssertFailedWith(run, "HealthCheck", "not-ready");
        Assert.That((string?)run.Task("HealthCheck")["detail"], Does.Contain("database is disconnected"));
        Assert.That((string?)run.Task("ChatSmoke")["status"], Is.EqualTo("skipped"));
    }

    [Test]
    public void A_catch_all_that_answers_one_object_on_every_path_is_not_LiteLLM()
    {
        using var gateway = new RawGateway((_, _) => RawGateway.Json(200, """{"choices":[{"message":{"content":"502 Bad Gateway"},"finish_reason":"stop"}]}"""));
        var run = Verify(gateway.Url, Canary);

        AssertFailedWith(run, "HealthCheck", "not-litellm");
        Assert.That((string?)run.Task("HealthCheck")["detail"], Is.EqualTo("/health/liveliness answered 200 with a JSON object and no x-litellm-version header, not as LiteLLM answers"));
        Assert.That((string?)run.Task("ChatSmoke")["status"], Is.EqualTo("skipped"));
    }

    [Test]
    public void A_catch_all_behind_another_health_path_fails_ChatSmoke_as_not_a_chat_API()
    {
        using var gateway = new RawGateway((_, _) => RawGateway.Json(200, """{"choices":[{"message":{"content":"502 Bad Gateway"},"finish_reason":"stop"}]}"""));
        var run = Verify(gateway.Url, Canary, "--health-path=/healthz");

        AssertFailedWith(run, "ChatSmoke", "not-gateway");
        Assert.That((string?)run.Task("ChatSmoke")["detail"], Does.Contain("same body as the health path"));
        Assert.That((string?)run.Task("KeyCheck")["status"], Is.EqualTo("skipped"));
    }

    [Test]
    public void An_OpenAI_shape_without_LiteLLMs_headers_or_object_field_is_not_a_chat_answer()
    {
        using var gateway = LiteLlm(path => path == "/v1/chat/completions"
            ? RawGateway.Json(200, """{"choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant","content":"pong"}}]}""")
            : null);
        var run = Verify(gateway.Url, Canary);

        AssertFailedWith(run, "ChatSmoke", "not-gateway");
        Assert.That((string?)run.Task("ChatSmoke")["detail"], Does.EndWith("(no object field)"));
    }

    [Test]
    public void A_chat_answer_with_an_error_object_next_to_its_choices_fails()
    {
        using var gateway = LiteLlm(path => path == "/v1/chat/completions"
            ? RawGateway.Json(200, Chat.Replace("\"usage\"", "\"error\":{\"message\":\"upstream timed out\",\"type\":\"APIError\"},\"usage\"", StringComparison.Ordinal), "x-litellm-version: 1.80.0")
            : null);
        var run = Verify(gateway.Url, Canary);

        AssertFailedWith(run, "ChatSmoke", "gateway-error");
        Assert.That((string?)run.Task("ChatSmoke")["detail"], Does.EndWith("the answer carries an error: upstream timed out"));
    }

    [TestCase("event: error\ndata: {\"message\":\"overloaded\"}\n\ndata: [DONE]\n\n", "stream-broken", "The stream carried an error event: overloaded")]
    [TestCase("data: {\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"po\"},\"finish_reason\":\"error\"}]}\n\ndata: [DONE]\n\n", "gateway-error", "gpt-4 ended its answer with finish_reason \"error\"")]
    [TestCase("data: {\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"pong\"}}]}\n\ndata: [DONE]\n\n", "invalid-answer", "/v1/chat/completions answered 200 without a finish_reason")]
    public void A_stream_that_reports_an_error_or_ends_without_a_reason_fails(string frames, string failure, string detail)
    {
        using var gateway = LiteLlm(path => path == "/v1/chat/completions"
            ? RawGateway.Http("200 OK\r\nContent-Type: text/event-stream\r\nx-litellm-version: 1.80.0", frames)
            : null);
        var run = Verify(gateway.Url, Canary, "--stream");

        AssertFailedWith(run, "ChatSmoke", failure);
        Assert.That((string?)run.Task("ChatSmoke")["detail"], Is.EqualTo(detail));
    }

    [Test]
    public async Task Without_a_database_enforce_fails_KeyCheck_warn_says_what_was_not_checked_and_off_says_it_did_not_run()
    {
        await using var gateway = await StartGatewayAsync(new StandInOptions { HasDatabase = false });

        var enforce = Verify(gateway);
        AssertFailedWith(enforce, "KeyCheck", "key-unverified");
        Assert.That((string?)enforce.Task("KeyCheck")["detail"], Does.StartWith("LiteLLM runs without a database"));
        Assert.That((string?)enforce.Task("KeyCheck")["hint"], Does.Contain("--key-policy=warn"));
        Assert.That((string?)enforce.Task("ChatSmoke")["status"], Is.EqualTo("passed"), "the key still works: ChatSmoke says so");

        var warn = Verify(gateway, "--key-policy=warn");
        Assert.That(warn.ExitCode, Is.EqualTo(0), warn.ToString());
        Assert.That((string?)warn.Task("KeyCheck")["status"], Is.EqualTo("skipped"));
        Assert.That(warn.Report["warnings"]!.Select(warning => (string?)warning), Has.Some.StartWith("KeyCheck: the key was not checked (LiteLLM runs without a database"));
        Assert.That(warn.StepSummary, Does.Contain("KeyCheck: the key was not checked"));

        var off = Verify(gateway, "--key-policy=off");
        Assert.That(off.ExitCode, Is.EqualTo(0), off.ToString());
        Assert.That((string?)off.Task("KeyCheck")["detail"], Is.EqualTo("--key-policy=off: the key was not checked"));
        Assert.That(gateway.Requests.Select(request => request.Path), Has.None.EqualTo("/key/info"), "no database: nothing to ask");
    }

    [TestCase(500, """{"error":{"message":"Internal Server Error","type":"internal_server_error","param":"None","code":"500"}}""")]
    [TestCase(429, """{"error":{"message":"Too many requests","type":"throttling_error","param":"None","code":"429"}}""")]
    public void A_key_lookup_that_gives_no_answer_fails_KeyCheck_under_enforce(int status, string body)
    {
        using var gateway = LiteLlm(path => path == "/key/info" ? RawGateway.Json(status, body) : null);

        var run = Verify(gateway.Url, Canary);

        AssertFailedWith(run, "KeyCheck", "key-unverified");
        Assert.That((string?)run.Task("KeyCheck")["detail"], Does.StartWith($"/key/info answered {status}"));
    }

    [Test]
    public void A_key_LiteLLM_refuses_at_key_info_is_a_bad_key_whatever_the_policy()
    {
        using var gateway = LiteLlm(path => path == "/key/info"
            ? RawGateway.Json(400, """{"error":{"message":"No connected db.","type":"no_db_connection","param":null,"code":"400"}}""")
            : null);

        var run = Verify(gateway.Url, Canary, "--key-policy=warn");

        AssertFailedWith(run, "KeyCheck", "bad-key");
        Assert.That((string?)run.Task("KeyCheck")["detail"], Does.Contain("not its master key"));
    }

    [Test]
    public async Task A_skipped_check_as_the_exclusive_target_fails_with_no_check_ran_in_every_output()
    {
        await using var gateway = await StartGatewayAsync();
        var run = Run(gateway, "--target=KeyCheck", "--exclusive", $"--ca-cert={CaPath}", "--key-policy=off");

        Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
        Assert.That(((string?)run.Report["status"], (string?)run.Report["reason"]), Is.EqualTo(("failed", "no check ran")));
        Assert.That(run.StandardError, Does.Contain("Error: no check ran: KeyCheck skipped (--key-policy=off: the key was not checked). Fix: "));
        Assert.That((string?)XDocument.Parse(run.JUnit).Root!.Attribute("failures"), Is.EqualTo("1"));
        Assert.That(run.StepSummary, Does.StartWith("### LiteLLM gateway verification: ❌ failed: no check ran"));
    }

    [Test]
    public void Harden_alone_on_an_empty_folder_fails_naming_the_folder()
    {
        var empty = Directory.CreateTempSubdirectory("verify-empty-").FullName;
        var run = BuildRun.Start(["--target=Harden", "--exclusive", $"--workflows={empty}"]);

        Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
        Assert.That((string?)run.Task("Harden")["status"], Is.EqualTo("skipped"));
        Assert.That((string?)run.Task("Harden")["detail"], Does.StartWith("no workflow or composite action to audit in "));
        Assert.That(run.StandardError, Does.Contain("Error: no check ran: Harden skipped (no workflow or composite action to audit in"));
    }

    [Test]
    public void ConnectTailnet_alone_with_the_tailnet_off_checked_nothing_and_fails()
    {
        var run = BuildRun.Start(["--target=ConnectTailnet", "--exclusive", "--tailnet=off"], new Dictionary<string, string> { ["LITELLM_URL"] = "https://gateway.example.ts.net:8443" });

        Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
        Assert.That(((string?)run.Task("ConnectTailnet")["status"], (string?)run.Task("ConnectTailnet")["detail"]), Is.EqualTo(("skipped", "--tailnet=off")));
        Assert.That((string?)run.Report["reason"], Is.EqualTo("no check ran"));
    }

    [Test]
    public void A_check_that_is_the_target_and_cannot_run_because_one_it_needs_failed_fails_the_run_with_that_reason()
    {
        var url = $"https://localhost:{Loopback.UnusedPort()}";
        var run = BuildRun.Start(["--target=KeyCheck", "--deadline=1"], new Dictionary<string, string> { ["LITELLM_URL"] = url, ["LITELLM_API_KEY"] = Canary });
        AssertNothingLeaked(run, url, Canary);

        Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
        Assert.That((string?)run.Task("KeyCheck")["detail"], Is.EqualTo("skipped because HealthCheck failed"));
        Assert.That(run.StandardError, Does.Contain("Error: HealthCheck failed: ").And.Not.Contain("Could not reach target"));
    }

    /// <summary>
    /// The JUnit file against the rules of Jenkins xunit's junit-10.xsd (the schema itself is not served here): only
    /// the attributes each element may carry, the required ones present, numbers where numbers go; and the example
    /// in docs/checks.md has the shape of a real run.
    /// </summary>
    [Test]
    public void JUnit_follows_the_junit_10_schema_and_the_documented_example_is_a_real_runs_shape()
    {
        var run = Verify($"http://127.0.0.1:{Loopback.UnusedPort()}", Canary, "--deadline=1");
        var junit = XDocument.Parse(run.JUnit);
        var allowed = new Dictionary<string, string[]>
        {
            ["testsuites"] = ["name", "time", "tests", "failures", "disabled", "errors"],
            ["testsuite"] = ["name", "tests", "failures", "errors", "time", "disabled", "skipped", "timestamp", "hostname", "id", "package"],
            ["testcase"] = ["name", "assertions", "time", "classname", "status"],
            ["failure"] = ["message", "type"],
            ["skipped"] = ["message"],
        };
        foreach (var element in junit.Descendants())
        {
            if (allowed.TryGetValue(element.Name.LocalName, out var attributes))
            {
                Assert.That(element.Attributes().Select(attribute => attribute.Name.LocalName), Is.SubsetOf(attributes), element.Name.LocalName);
            }
            else
            {
                Assert.That(element.Name.LocalName, Is.AnyOf("system-out", "system-err", "error"), "an element junit-10.xsd does not know");
            }
        }

        Assert.That(junit.Descendants("testsuite").Concat(junit.Descendants("testcase")).Select(element => (string?)element.Attribute("name")), Has.All.Not.Null);
        Assert.That(junit.Descendants().SelectMany(element => element.Attributes()).Where(attribute => attribute.Name.LocalName is "tests" or "failures" or "errors" or "skipped").Select(attribute => attribute.Value), Has.All.Match(@"^\d+$"));

        var documented = System.Text.RegularExpressions.Regex.Match(File.ReadAllText(Repository.PathOf("docs/checks.md")), @"```xml\n(.*?)```", System.Text.RegularExpressions.RegexOptions.Singleline).Groups[1].Value;
        static IEnumerable<string> Shape(XDocument document) => document.Descendants().Select(element => $"{element.Name.LocalName}({string.Join(",", element.Attributes().Select(attribute => attribute.Name.LocalName))})");
        Assert.That(Shape(XDocument.Parse(documented)), Is.EqualTo(Shape(junit)));
    }
}
