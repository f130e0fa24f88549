using Build.Gateway;
using Build.Hardening;
using Build.Settings;
using Cake.Frosting;

namespace Build.Tasks;

[IsDependentOn(typeof(HealthCheck))]
[TaskDescription("Asks LiteLLM about the key in use (GET /key/info): master key or admin, expiry, spend against budget, models; errors fail it under --key-policy=enforce")]
public sealed class KeyCheck : VerificationTask
{
    protected override IEnumerable<string> Prerequisites => [nameof(HealthCheck)];

    protected override async Task<string> CheckAsync(BuildContext context)
    {
        var settings = context.Settings;
        if (settings.KeyPolicy == KeyPolicy.Off)
        {
            throw new CheckSkippedException($"--{ArgumentNames.KeyPolicy}=off");
        }

        if (!context.Gateway.HasKey)
        {
            throw new CheckSkippedException($"no key to check: {EnvironmentNames.LiteLlmApiKey} is not set");
        }

        switch (context.Facts.Health)
        {
            case { IsLiteLlm: false }:
                throw new CheckSkippedException("the gateway is not LiteLLM (its health answer is not LiteLLM's), so it has no key lookup");
            case { Database: "Not connected" }:
                throw KeyProbe.NoDatabase();
        }

        var outcome = await new KeyProbe(context.Gateway).RunAsync(DateTimeOffset.UtcNow, settings.KeyExpiryWarnDays, context.Cancellation.Token);
        context.Facts.Key = outcome;
        foreach (var finding in outcome.Findings)
        {
            if (finding.Severity == Severity.Error)
            {
                context.Error($"key {finding.OneLine}");
            }
            else
            {
                context.Warn($"key {finding.OneLine}");
                context.Facts.Warnings.Add($"Key: {finding.Message} — {finding.Fix}");
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
