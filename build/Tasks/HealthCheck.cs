using Build.Gateway;
using Cake.Frosting;

namespace Build.Tasks;

[IsDependentOn(typeof(ConnectTailnet))]
[TaskDescription("Asks the gateway's cheap health endpoints (liveliness, then readiness) until the deadline; /health only with --deep-health")]
public sealed class HealthCheck : VerificationTask
{
    protected override IEnumerable<string> Prerequisites => [nameof(ConnectTailnet)];

    protected override async Task<string> CheckAsync(BuildContext context)
    {
        var outcome = await new HealthProbe(context.Gateway).RunAsync(context.Run.Settings.HealthPath, context.Run.Settings.DeepHealth,
            context.State.Cancellation.Token);
        context.State.Facts.Health = outcome;
        return outcome.Detail;
    }
}
