using Build.Gateway;
using Build.Settings;
using Cake.Frosting;

namespace Build.Tasks;

[TaskDescription("Sends one real chat completion per model (--model: one, a list, or all; 4 at a time); passes on a LiteLLM/OpenAI answer with text, a " +
    "known finish_reason and no error")]
[IsDependentOn(typeof(KeyCheck))]
public sealed class ChatSmoke : VerificationTask
{
    protected override IEnumerable<string> Prerequisites => [nameof(HealthCheck)];

    protected override async Task<string> CheckAsync(BuildContext context)
    {
        var settings = context.Run.Settings;
        var probe = new ChatProbe(context.Gateway);
        var healthAnswer = context.State.Facts.Health?.Answer;
        if (!settings.AllModels && settings.Models.Count == 1)
        {
            var outcome = await probe.RunAsync(settings.Models[0], settings.MaxTokens, settings.Stream, context.State.Cancellation.Token, healthAnswer);
            context.State.Facts.Chat = outcome;
            WarnIfFiltered(context, settings.Models[0], outcome);
            return outcome.Detail;
        }

        var models = settings.AllModels ? await probe.ListModelsAsync(context.State.Cancellation.Token) : settings.Models;
        var note = string.Empty;
        if (models.Count > SettingsReader.MostModels)
        {
            note = $" (the first {SettingsReader.MostModels} of {models.Count} listed)";
            models = models.Take(SettingsReader.MostModels).ToList();
        }

        var results = await new ModelSweep(context.Gateway).RunAsync(models, settings.MaxTokens, settings.Stream, settings.SweepDeadline,
            context.State.Cancellation.Token, healthAnswer);
        context.State.Facts.Models.AddRange(results);
        foreach (var result in results.Where(result => result.Outcome is not null))
        {
            WarnIfFiltered(context, result.Model, result.Outcome!);
        }

        context.State.Facts.Chat = results.FirstOrDefault(result => result.Passed)?.Outcome;
        foreach (var result in results)
        {
            context.Info(result.Passed ? $"  ✓ {result.Model}: {result.Detail}" : $"  ✗ {result.Model} ({result.Failure!.Id}): {result.Failure.OneLine}");
        }

        var failed = results.Where(result => !result.Passed).ToList();
        if (failed.Count > 0)
        {
            var first = failed[0].Failure!;
            var which = string.Join(", ", failed.Select(result => $"{result.Model} ({result.Failure!.Id})"));
            throw new CheckFailedException(new Failure(first.Id,
                $"{failed.Count} of {results.Count} model(s) failed: {which}", failed.Count == 1 ? first.Fix : "each model's row has its fix; for " +
                    $"{failed[0].Model}: {first.Fix}"));
        }

        var (slowest, median) = ModelSweep.Latency(results)!.Value;
        return $"{results.Count} model(s) answered{note}; slowest {slowest.Model} in {slowest.Outcome!.LatencyMs} ms, median {median} ms; budgets " +
            $"{Seconds(settings.Deadline)} s a model, {Seconds(settings.SweepDeadline)} s in all";
    }

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A content filter cut the answer: the route works, but the smoke prompt should not trip a filter.</summary>
    private static void WarnIfFiltered(BuildContext context, string model, ChatOutcome outcome)
    {
        if (outcome.FinishReason == "content_filter")
        {
            var warning = $"ChatSmoke: {model} answered, but a content filter ended the answer (finish_reason \"content_filter\"). Check the " +
                "gateway's guardrails for this model.";
            context.Warn(warning);
            context.State.Facts.Warnings.Add(warning);
        }
    }
}
