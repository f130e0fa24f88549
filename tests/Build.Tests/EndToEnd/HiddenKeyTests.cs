using System.Text;
using Build.Security;
using Build.Tests.Support;
using Newtonsoft.Json.Linq;

namespace Build.Tests.EndToEnd;

/// <summary>A gateway that hides the key between characters nobody sees, in every field a run prints: no run of 8 leaks.</summary>
[TestFixture]
[Order(10)]
public sealed class HiddenKeyTests : GatewayFixture
{
    /// <summary>The main runs keep the warm-up users get on a 2-core machine: it must change nothing they see.</summary>
    protected override bool WarmUp => true;

    private static IEnumerable<TestCaseData> Hiders() =>
        new[] { "\u0001", "\u0000", "\u001b[0m", "\u200B", "\u202E", "\uFEFF", "\u00AD" }.Select(hider => new TestCaseData(hider).SetArgDisplayNames($"U+{(int)hider[0]:X4}"));

    /// <summary>The key with <paramref name="hider"/> between every character, as a JSON string's content.</summary>
    private string Hidden(string hider) => JsonConvert(string.Join(hider, Canary.ToCharArray()));

    private static string JsonConvert(string text) => new JValue(text).ToString(Newtonsoft.Json.Formatting.None)[1..^1];

    private void AssertNoKeyRun(BuildRun run, string hider)
    {
        var report = File.Exists(run.ReportPath) ? JToken.Parse(File.ReadAllText(run.ReportPath)) : new JObject();
        var reportStrings = string.Join("\n", report.SelectTokens("$..*").OfType<JValue>().Where(value => value.Type == JTokenType.String).Select(value => (string)value!));
        foreach (var output in new[] { run.Everything, Redactor.Normalise(run.Everything), Redactor.Normalise(reportStrings) })
        {
            foreach (var start in Enumerable.Range(0, Canary.Length - Redactor.KeyRun + 1))
            {
                Assert.That(output, Does.Not.Contain(Canary.Substring(start, Redactor.KeyRun)), $"a run of the key leaked, hidden by U+{(int)hider[0]:X4}\n{run}");
            }
        }
    }

    [TestCaseSource(nameof(Hiders))]
    public void In_every_field_of_a_green_run(string hider)
    {
        var hidden = Hidden(hider);
        using var gateway = new RawGateway((_, line) => line.Split(' ')[1] switch
        {
            "/health/liveliness" => RawGateway.Json(200, "\"I'm alive!\""),
            "/health/readiness" => RawGateway.Json(200, $$$"""{"status":"healthy","db":"connected","litellm_version":"{{{hidden}}}"}"""),
            "/key/info" => RawGateway.Json(200, $$$"""{"key":"{{{hidden}}}","info":{"key_alias":"{{{hidden}}}","spend":0,"max_budget":5,"models":["m1","{{{hidden}}}"],"expires":"2099-01-01T00:00:00","rpm_limit":1}}"""),
            "/v1/models" => RawGateway.Json(200, $$$"""{"object":"list","data":[{"id":"m1"},{"id":"{{{hidden}}}"}]}"""),
            _ => RawGateway.Json(200, $$$"""{"id":"{{{hidden}}}","object":"chat.completion","model":"{{{hidden}}}","choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant","content":"pong {{{hidden}}}"}}]}""", "x-litellm-version: 1.80.0"),
        });

        var run = Verify(gateway.Url, Canary, "--model=all");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        AssertNoKeyRun(run, hider);
        Assert.That(run.Everything, Does.Not.Contain(hider.Length == 1 ? hider : "\u001b"), "what nobody sees is not written");
    }

    [TestCaseSource(nameof(Hiders))]
    public void In_a_refusal_that_quotes_it(string hider)
    {
        var hidden = Hidden(hider);
        using var gateway = new RawGateway((_, line) => line.Split(' ')[1] switch
        {
            "/health/liveliness" => RawGateway.Json(200, "\"I'm alive!\""),
            "/health/readiness" => RawGateway.Json(200, """{"status":"healthy","db":"connected"}"""),
            _ => RawGateway.Json(401, $$$"""{"error":{"message":"Authentication Error, invalid key {{{hidden}}}","type":"auth_error","param":"{{{hidden}}}","code":"401"}}"""),
        });

        var run = Verify(gateway.Url, Canary);

        AssertFailedWith(run, "KeyCheck", "bad-key");
        AssertNoKeyRun(run, hider);
    }
}
