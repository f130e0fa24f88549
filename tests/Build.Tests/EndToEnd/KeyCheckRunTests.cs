using Build.Tests.Support;
using LiteLlmStandIn;

namespace Build.Tests.EndToEnd;

/// <summary>KeyCheck in a real run: its place in the graph, the policy, what reaches the output and the report.</summary>
[TestFixture]
[Order(11)]
public sealed class KeyCheckRunTests : GatewayFixture
{
    [Test]
    public async Task The_master_key_on_a_proxy_with_a_database_fails_KeyCheck_with_its_fix_and_ChatSmoke_still_runs()
    {
        await using var gateway = await StartGatewayAsync(new StandInOptions { MasterKey = Canary });
        var run = Verify(gateway);

        AssertFailedWith(run, "KeyCheck", "key-policy");
        Assert.That((string?)run.Task("KeyCheck")["hint"], Does.Contain("/key/generate").And.Contain("<master key>"));
        Assert.That((string?)run.Task("ChatSmoke")["status"], Is.EqualTo("passed"));
        Assert.That(run.Report["tasks"]!.Select(task => (string?)task["name"]), Is.EqualTo(new[] { "Harden", "ConnectTailnet", "HealthCheck", "KeyCheck", "ChatSmoke" }).Or.EqualTo(new[] { "Harden", "HealthCheck", "KeyCheck", "ChatSmoke" }));
        Assert.That((string?)run.Report["key"]!["findings"]![0]!["severity"], Is.EqualTo("error"));
        Assert.That(gateway.Requests.Where(request => request.Authorization is not null).Select(request => request.Path), Is.EqualTo(new[] { "/key/info", "/v1/chat/completions" }));
    }

    [Test]
    public async Task Under_key_policy_warn_the_same_key_is_reported_and_the_run_passes()
    {
        await using var gateway = await StartGatewayAsync(new StandInOptions { MasterKey = Canary });
        var run = Verify(gateway, "--key-policy=warn");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That((string?)run.Task("KeyCheck")["detail"], Does.EndWith("1 error(s) (key-policy warn: not failing)"));
        Assert.That(run.Output, Does.Contain("key error: the key is LiteLLM's master key"));
    }

    [Test]
    public async Task A_scoped_virtual_key_passes_and_its_facts_reach_the_report_and_the_summary()
    {
        var scoped = $"sk-scoped-{Guid.NewGuid():N}";
        var expires = DateTimeOffset.UtcNow.AddDays(5);
        await using var gateway = await StartGatewayAsync(new StandInOptions
        {
            HasDatabase = true,
            VirtualKeys = new Dictionary<string, VirtualKey> { [scoped] = new("ci-smoke", expires, 4.5, 5, ["gpt-4"], 10, 1000) },
        });
        var run = Verify(gateway.BaseUrl.AbsoluteUri, scoped);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That((string?)run.Task("KeyCheck")["detail"], Does.StartWith("alias ci-smoke; ").And.EndWith("; 2 warning(s)"));
        var key = run.Report["key"]!;
        Assert.That(((string?)key["alias"], (double?)key["spend"], (double?)key["maxBudget"], (long?)key["rpmLimit"]), Is.EqualTo(("ci-smoke", 4.5, 5.0, 10L)));
        Assert.That(key["findings"]!.Select(finding => (string?)finding["message"]), Has.Exactly(1).StartsWith("the key expires in 5 day(s)").And.Exactly(1).StartsWith("the key has spent $4.50 of its $5.00 budget (90%)"));
        Assert.That(run.StepSummary, Does.Contain("| KeyCheck | ✅ passed").And.Contain("Key: the key expires in 5 day\\(s\\)"));
    }

    [Test]
    public async Task Without_a_database_under_warn_KeyCheck_is_skipped_with_the_reason_and_asks_nothing()
    {
        await using var gateway = await StartGatewayAsync(new StandInOptions { HasDatabase = false });
        var run = Verify(gateway, "--key-policy=warn");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That((string?)run.Task("KeyCheck")["status"], Is.EqualTo("skipped"));
        Assert.That((string?)run.Task("KeyCheck")["detail"], Does.StartWith("not checked under --key-policy=warn: LiteLLM runs without a database"));
        Assert.That(gateway.Requests.Select(request => request.Path), Has.None.EqualTo("/key/info"));
    }

    [Test]
    public async Task KeyCheck_runs_alone_and_a_bad_policy_value_is_a_usage_error()
    {
        await using var gateway = await StartGatewayAsync(new StandInOptions { MasterKey = Canary });

        var alone = Run(gateway, "--target=KeyCheck", "--exclusive", $"--ca-cert={CaPath}", "--key-policy=warn");
        Assert.That(alone.ExitCode, Is.EqualTo(0), alone.ToString());
        Assert.That(alone.Report["tasks"]!.Select(task => (string?)task["name"]), Is.EqualTo(new[] { "KeyCheck" }));

        var bad = Run(gateway, "--target=KeyCheck", "--key-policy=strict");
        Assert.That(bad.ExitCode, Is.EqualTo(2), bad.ToString());
        Assert.That(bad.Output, Does.Contain("--key-policy: must be enforce, warn or off, such as --key-policy=warn"));
    }
}
