using System.Xml.Linq;
using Build.Tests.Support;
using LiteLlmStandIn;

namespace Build.Tests.EndToEnd;

/// <summary>ChatSmoke over several models in a real run: a row per model in the table, the report, the step summary and JUnit.</summary>
[TestFixture]
[Order(6)]
public sealed class ChatModelsRunTests : GatewayFixture
{
    [Test]
    public async Task Twenty_slow_models_end_red_within_the_sweep_budget_and_the_report_gives_both_budgets()
    {
        var models = Enumerable.Range(1, 20).Select(index => $"slow-{index}").ToList();
        await using var gateway = await StartGatewayAsync(new StandInOptions { Models = models, ChatDelay = TimeSpan.FromSeconds(3) });
        var run = Verify(gateway, "--model=all", "--deadline=2");

        AssertFailedWith(run, "ChatSmoke", "timeout");
        Assert.That((long?)run.Task("ChatSmoke")["durationMs"], Is.LessThan(5_000), "the sweep budget (2 × 2 s) plus 1 s, not 5 waves of 2 s");
        var chat = run.Report["chat"]!;
        Assert.That(((long?)chat["deadlineMs"], (long?)chat["sweepDeadlineMs"]), Is.EqualTo((2000L, 4000L)));
        Assert.That(chat["models"]!.Select(model => (string?)model["failure"]).Distinct(), Is.EquivalentTo(new[] { "timeout", "sweep-budget" }));
        Assert.That(chat["models"]!.Count(model => (string?)model["failure"] == "sweep-budget"), Is.GreaterThanOrEqualTo(12));
    }

    [Test]
    public async Task One_broken_model_fails_the_run_with_its_own_class_and_fix_and_the_others_still_answer()
    {
        await using var gateway = await StartGatewayAsync();
        var run = Verify(gateway, "--model=gpt-4,boom,gpt-4o-mini");

        AssertFailedWith(run, "ChatSmoke", "server-error");
        Assert.That((string?)run.Task("ChatSmoke")["detail"], Is.EqualTo("1 of 3 model(s) failed: boom (server-error)"));
        var models = run.Report["chat"]!["models"]!;
        Assert.That(models.Select(model => ((string?)model["model"], (string?)model["status"], (string?)model["failure"])), Is.EqualTo(new[]
        {
            ("gpt-4", "passed", (string?)null), ("boom", "failed", "server-error"), ("gpt-4o-mini", "passed", null),
        }));
        Assert.That((string?)models[1]!["hint"], Is.Not.Empty);
        Assert.That(run.StepSummary, Does.Contain("| ↳ boom | ❌ failed | - |").And.Contain("| ↳ gpt-4o-mini | ✅ passed |"));
        Assert.That(run.StandardOutput, Does.Contain("boom"));

        var cases = XDocument.Parse(run.JUnit).Descendants("testcase").Select(test => ((string?)test.Attribute("name"), test.Element("failure") is not null)).ToList();
        Assert.That(cases.SkipWhile(test => test.Item1 != "ChatSmoke").ToList(), Is.EqualTo(new[]
        {
            ("ChatSmoke", false), ("ChatSmoke[gpt-4]", false), ("ChatSmoke[boom]", true), ("ChatSmoke[gpt-4o-mini]", false),
        }), "ChatSmoke's own case sums its models up: one failure per failed model, as the console counts");
        Assert.That((string?)XDocument.Parse(run.JUnit).Root!.Attribute("failures"), Is.EqualTo("1"));
    }

    [Test]
    public async Task All_checks_every_listed_model_and_reports_the_slowest_and_the_median()
    {
        await using var gateway = await StartGatewayAsync(new StandInOptions { Models = ["gpt-4", "gpt-4o-mini", "claude"] });
        var run = Verify(gateway, "--model=all");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That((string?)run.Task("ChatSmoke")["detail"], Does.Match(@"^3 model\(s\) answered; slowest (gpt-4|gpt-4o-mini|claude) in \d+ ms, median \d+ ms; budgets 5 s a model, 10 s in all$"));
        Assert.That(run.Report["chat"]!["models"]!.Select(model => (string?)model["model"]), Is.EqualTo(new[] { "gpt-4", "gpt-4o-mini", "claude" }));
        Assert.That((long?)run.Report["chat"]!["medianMs"], Is.Not.Null);
        Assert.That(gateway.Requests.Count(request => request.Path == "/v1/models"), Is.EqualTo(1));
    }
}
