using System.Xml.Linq;
using Build.Tests.Support;
using LiteLlmStandIn;

namespace Build.Tests.EndToEnd;

/// <summary>ChatSmoke over several models in a real run: a row per model in the table, the report, the step summary and JUnit.</summary>
[TestFixture]
public sealed class ChatModelsRunTests : GatewayFixture
{
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
            ("ChatSmoke", true), ("ChatSmoke[gpt-4]", false), ("ChatSmoke[boom]", true), ("ChatSmoke[gpt-4o-mini]", false),
        }));
    }

    [Test]
    public async Task All_checks_every_listed_model_and_reports_the_slowest_and_the_median()
    {
        await using var gateway = await StartGatewayAsync(new StandInOptions { Models = ["gpt-4", "gpt-4o-mini", "claude"] });
        var run = Verify(gateway, "--model=all");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That((string?)run.Task("ChatSmoke")["detail"], Does.Match(@"^3 model\(s\) answered; slowest (gpt-4|gpt-4o-mini|claude) in \d+ ms, median \d+ ms$"));
        Assert.That(run.Report["chat"]!["models"]!.Select(model => (string?)model["model"]), Is.EqualTo(new[] { "gpt-4", "gpt-4o-mini", "claude" }));
        Assert.That((long?)run.Report["chat"]!["medianMs"], Is.Not.Null);
        Assert.That(gateway.Requests.Count(request => request.Path == "/v1/models"), Is.EqualTo(1));
    }
}
