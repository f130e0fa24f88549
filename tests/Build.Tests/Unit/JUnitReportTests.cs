using System.Xml.Linq;
using Build.Gateway;
using Build.Reporting;
using Build.Security;

namespace Build.Tests.Unit;

[TestFixture]
public sealed class JUnitReportTests
{
    private const string Canary = "sk-canary-0123456789abcdef";

    private static XDocument Build(TaskResults results, Redactor? redactor = null) =>
        XDocument.Parse(JUnitReport.Build("Verify", new DateTimeOffset(2026, 11, 27, 19, 0, 0, TimeSpan.FromHours(1)), TimeSpan.FromMilliseconds(2500), results, RunVerdict.From(results), redactor ?? new Redactor()));

    [Test]
    public void One_suite_per_run_and_one_case_per_task_with_counts_and_durations()
    {
        var results = new TaskResults();
        results.Pass("Harden", "0 findings");
        results.Complete("Harden", TimeSpan.FromMilliseconds(1234));
        results.Fail("HealthCheck", Failure.Of(FailureClass.ConnectionRefused, "Connection refused"));
        results.Skip("ChatSmoke", "HealthCheck failed");

        var junit = Build(results);

        Assert.That(junit.Declaration!.Encoding, Is.EqualTo("utf-8"));
        var root = junit.Root!;
        Assert.That(root.Name.LocalName, Is.EqualTo("testsuites"));
        Assert.That(new[] { "tests", "failures", "errors", "time" }.Select(name => (string?)root.Attribute(name)), Is.EqualTo(new[] { "3", "1", "0", "2.500" }));
        Assert.That(root.Attributes().Select(attribute => attribute.Name.LocalName), Is.EquivalentTo(new[] { "name", "tests", "failures", "errors", "time" }), "junit-10.xsd: no skipped on <testsuites>");
        var suite = root.Elements("testsuite").Single();
        Assert.That(new[] { "name", "tests", "failures", "errors", "skipped", "time", "timestamp" }.Select(name => (string?)suite.Attribute(name)), Is.EqualTo(new[] { "Verify", "3", "1", "0", "1", "2.500", "2026-11-27T18:00:00" }));

        var cases = suite.Elements("testcase").ToList();
        Assert.That(cases.Select(test => ((string?)test.Attribute("name"), (string?)test.Attribute("classname"), (string?)test.Attribute("time"))), Is.EqualTo(new[]
        {
            ("Harden", "litellm-tailnet-verify.Verify", "1.234"),
            ("HealthCheck", "litellm-tailnet-verify.Verify", "0.000"),
            ("ChatSmoke", "litellm-tailnet-verify.Verify", "0.000"),
        }));
        Assert.That(cases[0].Elements().Select(element => element.Name.LocalName), Is.EqualTo(new[] { "system-out" }));
        Assert.That(cases[0].Value, Is.EqualTo("0 findings"));

        var failure = cases[1].Element("failure")!;
        var line = $"Connection refused. Fix: {FailureClass.ConnectionRefused.Fix}";
        Assert.That(((string?)failure.Attribute("message"), (string?)failure.Attribute("type"), failure.Value), Is.EqualTo((line, "refused", line)));
        Assert.That((string?)cases[2].Element("skipped")!.Attribute("message"), Is.EqualTo("HealthCheck failed"));
    }

    [Test]
    public void Every_text_is_redacted_and_characters_XML_cannot_hold_are_dropped()
    {
        var redactor = new Redactor();
        redactor.AddKey(Canary);
        var results = new TaskResults();
        results.Fail("ChatSmoke", Failure.Of(FailureClass.BadKey, $"key {Canary} refused \u0001\uFFFE"));
        results.Skip("Summary\u0002", $"because {Canary}");

        var text = JUnitReport.Build($"Verify{Canary}", DateTimeOffset.UnixEpoch, TimeSpan.Zero, results, RunVerdict.From(results), redactor);
        var junit = XDocument.Parse(text);

        Assert.That(text, Does.Not.Contain(Canary).And.Not.Contain("sk-canary"));
        Assert.That((string?)junit.Descendants("failure").Single().Attribute("message"), Does.StartWith("key *** refused"));
        Assert.That((string?)junit.Descendants("testcase").Last().Attribute("name"), Is.EqualTo("Summary"));
    }

    [Test]
    public void A_run_that_checked_nothing_is_one_failed_case_named_for_the_target()
    {
        var results = new TaskResults();
        results.Skip("Harden", "no workflow or composite action to audit in empty");
        var junit = Build(results);

        Assert.That(new[] { "tests", "failures", "skipped" }.Select(name => (string?)junit.Root!.Element("testsuite")!.Attribute(name)), Is.EqualTo(new[] { "2", "1", "1" }));
        var verdict = junit.Descendants("testcase").Last();
        Assert.That((string?)verdict.Attribute("name"), Is.EqualTo("Verify"));
        Assert.That((string?)verdict.Element("failure")!.Attribute("type"), Is.EqualTo("no-check-ran"));
        Assert.That((string?)verdict.Element("failure")!.Attribute("message"), Does.StartWith("no check ran: Harden skipped (no workflow or composite action to audit in empty). Fix: "));
    }
}
