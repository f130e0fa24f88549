using Build.Core;
using Build.Gateway;
using Build.Hardening;
using Build.Settings;
using Cake.Frosting;

namespace Build.Tasks;

[IsDependentOn(typeof(HealthCheck))]
[TaskDescription("Asks LiteLLM about the key in use (GET /key/info): master key or admin, expiry, spend against budget, models; errors, or no answer, fail " +
    "it under --key-policy=enforce")]
public sealed class KeyCheck : VerificationTask
{
    protected override IEnumerable<string> Prerequisites => [nameof(HealthCheck)];

    protected override async Task<string> CheckAsync(BuildContext context)
    {
        var settings = context.Run.Settings;
        if (settings.KeyPolicy == KeyPolicy.Off)
        {
            throw new CheckSkippedException($"--{ArgumentNames.KeyPolicy}=off: the key was not checked");
        }

        if (!context.Gateway.HasKey)
        {
            throw new CheckSkippedException($"no key to check: {EnvironmentNames.LiteLlmApiKey} is not set");
        }

        if (context.State.Facts.Health is { IsLiteLlm: false })
        {
            throw new CheckSkippedException("the gateway is not LiteLLM (its health answer is not LiteLLM's), so it has no key lookup");
        }

        KeyOutcome outcome;
        try
        {
            if (context.State.Facts.Health is { Database: "Not connected" })
            {
                throw KeyProbe.NoDatabase();
            }

            outcome = await new KeyProbe(context.Gateway).RunAsync(DateTimeOffset.UtcNow, settings.KeyExpiryWarnDays, context.State.Cancellation.Token);
        }
        catch (KeyUnverifiedException unverified)
        {
            // No verdict on the key: under enforce that is a failure; under warn, a warning saying what was not checked.
            if (settings.KeyPolicy == KeyPolicy.Enforce)
            {
                throw new CheckFailedException(Failure.Of(FailureClass.KeyUnverified, unverified.Reason));
            }

            var warning = $"KeyCheck: the key was not checked ({unverified.Reason}); it may be the master key or an unscoped key. " +
                $"{FailureClass.KeyUnverified.Fix}";
            context.Warn(warning);
            context.State.Facts.Warnings.Add(warning);
            throw new CheckSkippedException($"not checked under --{ArgumentNames.KeyPolicy}=warn: {unverified.Reason}");
        }

        context.State.Facts.Key = outcome;
        foreach (var finding in outcome.Findings)
        {
            if (finding.Severity == Severity.Error)
            {
                context.Error($"key {finding.OneLine}");
            }
            else
            {
                context.Warn($"key {finding.OneLine}");
                context.State.Facts.Warnings.Add($"Key: {finding.Message} — {finding.Fix}");
            }
        }

        var errors = outcome.Findings.Where(finding => finding.Severity == Severity.Error).ToList();
        if (errors.Count > 0 && settings.KeyPolicy == KeyPolicy.Enforce)
        {
            throw new CheckFailedException(new Failure(FailureClass.KeyPolicy.Id, string.Join("; ", errors.Select(error => error.Message)), errors[0].Fix));
        }

        var warnings = outcome.Findings.Count - errors.Count;
        return outcome.Detail
            + (warnings > 0 ? $"; {warnings} warning(s)" : string.Empty)
            + (errors.Count > 0 ? $"; {errors.Count} error(s) ({ArgumentNames.KeyPolicy} warn: not failing)" : string.Empty);
    }
}
