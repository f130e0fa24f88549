namespace Build.Gateway;

/// <summary>One model's chat completion in a sweep: its outcome, or its own classified failure.</summary>
public sealed record ModelResult(string Model, ChatOutcome? Outcome, Failure? Failure)
{
    public bool Passed => Failure is null;

    public string Detail => Outcome?.Detail ?? Failure!.Reason;
}

/// <summary>
/// ChatSmoke for several models: at most <see cref="MostAtOnce"/> at once, each with its own deadline and the
/// chat retry rules (a model waits for a free slot before its deadline starts), results in the order given.
/// </summary>
public sealed class ModelSweep(GatewayClient client)
{
    public const int MostAtOnce = 4;

    public async Task<IReadOnlyList<ModelResult>> RunAsync(IReadOnlyList<string> models, int maxTokens, bool stream, CancellationToken cancellationToken, string? healthAnswer = null)
    {
        using var slots = new SemaphoreSlim(MostAtOnce);
        return await Task.WhenAll(models.Select(async model =>
        {
            await slots.WaitAsync(cancellationToken);
            try
            {
                return new ModelResult(model, await new ChatProbe(client).RunAsync(model, maxTokens, stream, cancellationToken, healthAnswer), null);
            }
            catch (CheckFailedException failed)
            {
                return new ModelResult(model, null, failed.Failure);
            }
            finally
            {
                slots.Release();
            }
        }));
    }

    /// <summary>The slowest answer and the median latency of the models that answered.</summary>
    public static (ModelResult Slowest, long MedianMs)? Latency(IReadOnlyList<ModelResult> results)
    {
        var answered = results.Where(result => result.Outcome is not null).OrderBy(result => result.Outcome!.LatencyMs).ToList();
        if (answered.Count == 0)
        {
            return null;
        }

        var middle = answered.Count / 2;
        var median = answered.Count % 2 == 1
            ? answered[middle].Outcome!.LatencyMs
            : (answered[middle - 1].Outcome!.LatencyMs + answered[middle].Outcome!.LatencyMs) / 2;
        return (answered[^1], median);
    }
}
