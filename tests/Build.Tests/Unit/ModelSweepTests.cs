using Build.Gateway;
using Build.Security;
using Build.Settings;
using Build.Tests.Support;
using LiteLlmStandIn;

namespace Build.Tests.Unit;

/// <summary>ChatSmoke over several models: the list, the order, at most four at once, each model's own failure.</summary>
[TestFixture]
// Mostly waiting on its sweep budgets: first of the in-process fixtures, beside the last end-to-end runs. Its cases wait
// one after another, not side by side (Support/WaitingCases.cs): the budget case leaves 0.8 s between its first wave's
// answers and the budget, and beside the other cases under the suite's load that first wave once came too late.
[Order(1)]
public sealed class ModelSweepTests
{
    private const string Key = "sk-sweep-0123456789";

    private static GatewayClient Client(StandInServer gateway) =>
        new(TestSettings.For(gateway.BaseUrl.AbsoluteUri, Key).Gateway, new EgressPolicy(EgressMode.Block));

    [Test]
    public async Task Models_run_four_at_a_time_and_each_failure_keeps_its_own_class()
    {
        string[] models = ["m1", "m2", "boom", "m4", "m5", "m6", "m7", "m8"];
        await using var gateway = await StandInServer.StartAsync(new StandInOptions { MasterKey = Key, Models = models, ChatDelay = TimeSpan.FromMilliseconds(300) });
        using var client = Client(gateway);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var results = await new ModelSweep(client).RunAsync(models, 16, stream: false, TimeSpan.FromMinutes(1), CancellationToken.None);
        var sweep = clock.ElapsedMilliseconds;

        Assert.That(results.Select(result => (result.Model, result.Passed)), Is.EqualTo(models.Select(model => (model, model != "boom"))));
        Assert.That(results.Single(result => !result.Passed).Failure!.Id, Is.EqualTo(FailureClass.ServerError.Id));
        Assert.That(gateway.MostChatsAtOnce, Is.EqualTo(ModelSweep.MostAtOnce), "eight models, 300 ms each: four in flight, never more");
        Assert.That(sweep, Is.GreaterThanOrEqualTo(600), "two waves of 300 ms");
        Assert.That(results.Where(result => result.Passed).Max(result => result.Outcome!.LatencyMs), Is.LessThan(sweep - 200), "a model's latency is its own request, not its wait for a slot");
    }

    [Test]
    public async Task The_sweep_budget_fails_models_not_answered_or_not_reached_and_ends_in_time()
    {
        // Waves of four: the first answers at 1.2 s, inside the 2 s budget; the second is cut off; the third never starts.
        var models = Enumerable.Range(1, 12).Select(index => $"m{index}").ToArray();
        await using var gateway = await StandInServer.StartAsync(new StandInOptions { MasterKey = Key, Models = models, ChatDelay = TimeSpan.FromMilliseconds(1200) });
        using var client = Client(gateway);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var results = await new ModelSweep(client).RunAsync(models, 16, stream: false, TimeSpan.FromSeconds(2), CancellationToken.None);

        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(3.5)), "the budget, not three waves of 1.2 s");
        Assert.That(results.Take(4).Select(result => result.Passed), Is.All.True, "the first wave answered in time");
        Assert.That(results.Skip(4).Select(result => result.Failure?.Id), Is.All.EqualTo(FailureClass.SweepBudget.Id));
        var reasons = results.Skip(4).Select(result => result.Failure!.Reason).ToList();
        Assert.That(reasons, Has.All.Match(@"^m\d+ (did not answer|was not reached) within the sweep budget of 2 s$"));
        Assert.That(reasons, Has.Exactly(4).EndsWith("did not answer within the sweep budget of 2 s"), "the second wave was started and cut off");
        Assert.That(reasons, Has.Exactly(4).EndsWith("was not reached within the sweep budget of 2 s"), "the third wave never started");
    }

    [Test]
    public void A_run_cancelled_by_its_caller_is_cancelled_not_over_budget()
    {
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        using var client = new GatewayClient(TestSettings.For("http://127.0.0.1:9", Key).Gateway, new EgressPolicy(EgressMode.Block));
        Assert.That(async () => await new ModelSweep(client).RunAsync(["m1"], 16, false, TimeSpan.FromSeconds(5), cancel.Token), Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public async Task All_means_the_ids_the_gateway_lists_and_an_empty_list_is_its_own_class()
    {
        await using var gateway = await StandInServer.StartAsync(new StandInOptions { MasterKey = Key, Models = ["gpt-4", "gpt-4o-mini", "gpt-4"] });
        using var client = Client(gateway);
        Assert.That(await new ChatProbe(client).ListModelsAsync(CancellationToken.None), Is.EqualTo(new[] { "gpt-4", "gpt-4o-mini" }));

        await using var empty = await StandInServer.StartAsync(new StandInOptions { MasterKey = Key, Models = [] });
        using var emptyClient = Client(empty);
        var failure = Assert.ThrowsAsync<CheckFailedException>(() => new ChatProbe(emptyClient).ListModelsAsync(CancellationToken.None))!.Failure;
        Assert.That(failure.Id, Is.EqualTo(FailureClass.NoModels.Id));

        using var wrongKey = new GatewayClient(TestSettings.For(gateway.BaseUrl.AbsoluteUri, "sk-wrong-0123456789").Gateway, new EgressPolicy(EgressMode.Block));
        Assert.That(Assert.ThrowsAsync<CheckFailedException>(() => new ChatProbe(wrongKey).ListModelsAsync(CancellationToken.None))!.Failure.Id, Is.EqualTo(FailureClass.BadKey.Id));
    }

    private static ModelResult Answered(string model, long latency) =>
        new(model, new ChatOutcome("ok", model, latency, null, null, null, "stop", null, null, false, false), null);

    [Test]
    public void Latency_names_the_slowest_and_the_median_of_those_that_answered()
    {
        var failed = new ModelResult("x", null, Failure.Of(FailureClass.ServerError));
        Assert.That(ModelSweep.Latency([failed]), Is.Null);

        var (slowest, median) = ModelSweep.Latency([Answered("a", 30), failed, Answered("b", 10), Answered("c", 20)])!.Value;
        Assert.That((slowest.Model, median), Is.EqualTo(("a", 20L)));

        (slowest, median) = ModelSweep.Latency([Answered("a", 40), Answered("b", 10), Answered("c", 20), Answered("d", 30)])!.Value;
        Assert.That((slowest.Model, median), Is.EqualTo(("a", 25L)));
    }

    [TestCase("gpt-4", "gpt-4")]
    [TestCase("gpt-4, gpt-4o-mini ,gpt-4", "gpt-4|gpt-4o-mini")]
    [TestCase("a,,b,", "a|b")]
    public void A_model_list_is_comma_separated_trimmed_and_each_model_once(string value, string models)
    {
        var settings = TestSettings.For("http://localhost:4000", more: ("model", value));
        Assert.That(settings.Models, Is.EqualTo(models.Split('|')));
        Assert.That(settings.AllModels, Is.False);
    }

    [Test]
    public void All_stands_alone_and_a_list_has_at_most_50_models()
    {
        Assert.That(TestSettings.For("http://localhost:4000", more: ("model", "ALL")).AllModels, Is.True);
        Assert.That(TestSettings.For("http://localhost:4000", more: ("model", "ALL")).Models, Is.Empty);

        string Problem(string value) => SettingsReader.Read(new TestSettings(new() { ["model"] = value })).Problems.Single();
        Assert.That(Problem("all,gpt-4"), Is.EqualTo("--model / LITELLM_MODEL: all stands alone (it means every model the gateway lists)"));
        Assert.That(Problem(",,"), Is.EqualTo("--model / LITELLM_MODEL: give a model, a comma-separated list of models, or all"));
        Assert.That(Problem(string.Join(",", Enumerable.Range(1, 51).Select(index => $"m{index}"))), Is.EqualTo("--model / LITELLM_MODEL: at most 50 models"));
        Assert.That(SettingsReader.Read(new TestSettings(new() { ["model"] = string.Join(",", Enumerable.Range(1, 50).Select(index => $"m{index}")) })).Problems, Is.Empty);
        Assert.That(Problem("gpt-4,bad model"), Is.EqualTo("--model / LITELLM_MODEL: a model name has no spaces or control characters"));
    }
}

/// <summary>LiteLLM's refusals of a known key keep their class whatever status the version sends.</summary>
[TestFixture]
public sealed class KeyRefusalTests
{
    private static Failure ChatFailure(RawGateway gateway)
    {
        using var client = new GatewayClient(TestSettings.For(gateway.Url, "sk-refused-0123456789", 3).Gateway, new EgressPolicy(EgressMode.Block));
        return Assert.ThrowsAsync<CheckFailedException>(() => new ChatProbe(client).RunAsync("gpt-4", 16, false, CancellationToken.None))!.Failure;
    }

    private static string Envelope(string type, int code, string message) =>
        new Newtonsoft.Json.Linq.JObject { ["error"] = new Newtonsoft.Json.Linq.JObject { ["message"] = message, ["type"] = type, ["param"] = "None", ["code"] = code.ToString(System.Globalization.CultureInfo.InvariantCulture) } }.ToString(Newtonsoft.Json.Formatting.None);

    [TestCase(400, "budget_exceeded", "key-budget")]
    [TestCase(429, "budget_exceeded", "key-budget")]
    [TestCase(400, "expired_key", "bad-key")]
    [TestCase(401, "expired_key", "bad-key")]
    [TestCase(401, "key_model_access_denied", "forbidden")]
    [TestCase(403, "key_model_access_denied", "forbidden")]
    public void A_refused_key_is_classified_by_its_type_and_asked_once(int code, string type, string failure)
    {
        using var gateway = new RawGateway((_, _) => RawGateway.Json(code, Envelope(type, code, "refused")));

        Assert.That(ChatFailure(gateway).Id, Is.EqualTo(failure));
        Assert.That(gateway.Requests, Is.EqualTo(1), "a refusal that no wait changes is not retried");
    }

    [Test]
    public async Task A_virtual_key_scoped_to_other_models_is_forbidden_for_this_one()
    {
        await using var gateway = await StandInServer.StartAsync(new StandInOptions
        {
            MasterKey = "sk-master-0123456789",
            HasDatabase = true,
            VirtualKeys = new Dictionary<string, VirtualKey> { ["sk-scoped-0123456789"] = new("ci", Models: ["gpt-4"]) },
        });
        using var client = new GatewayClient(TestSettings.For(gateway.BaseUrl.AbsoluteUri, "sk-scoped-0123456789").Gateway, new EgressPolicy(EgressMode.Block));

        var results = await new ModelSweep(client).RunAsync(["gpt-4", "gpt-4o-mini"], 16, false, TimeSpan.FromMinutes(1), CancellationToken.None);

        Assert.That(results[0].Passed, Is.True);
        Assert.That(results[1].Failure!.Id, Is.EqualTo(FailureClass.Forbidden.Id));
        Assert.That(results[1].Failure!.Reason, Does.Contain("key_model_access_denied"));
    }
}
