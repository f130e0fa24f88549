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
/// The whole sweep has one budget: a model not started, or not answered, when it runs out fails as not reached,
/// so 50 slow models end red in the budget, not in ⌈50/4⌉ deadlines.
/// </summary>
public sealed class ModelSweep(GatewayClient client)
{
    public const int MostAtOnce = 4;

    public async Task<IReadOnlyList<ModelResult>> RunAsync(IReadOnlyList<string> models, int maxTokens, bool stream, TimeSpan budget,
        CancellationToken cancellationToken, string? healthAnswer = null)
    {
        using var slots = new SemaphoreSlim(MostAtOnce);
        using var sweep = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        sweep.CancelAfter(budget);
        var seconds = budget.TotalSeconds.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture);
        return await Task.WhenAll(models.Select(async model =>
        {
            try
            {
                await slots.WaitAsync(sweep.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return NotReached(model, seconds);
            }

            // A slot freed by a model the budget cut off can reach a waiting model just as the budget ends: nothing was sent.
            if (sweep.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                slots.Release();
                return NotReached(model, seconds);
            }

            try
            {
                return new ModelResult(model, await new ChatProbe(client).RunAsync(model, maxTokens, stream, sweep.Token, healthAnswer), null);
            }
            catch (Exception exception) when (IsCancellation(exception) && sweep.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                // The client turns its caller's cancellation into a "cancelled" failure; here that caller is the budget.
                return new ModelResult(model, null, Failure.Of(FailureClass.SweepBudget, $"{model} did not answer within the sweep budget of {seconds} s"));
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

    private static ModelResult NotReached(string model, string seconds) =>
        new(model, null, Failure.Of(FailureClass.SweepBudget, $"{model} was not reached within the sweep budget of {seconds} s"));

    private static bool IsCancellation(Exception exception) =>
        exception is OperationCanceledException || (exception is CheckFailedException failed && failed.Failure.Id == FailureClass.Cancelled.Id);

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
