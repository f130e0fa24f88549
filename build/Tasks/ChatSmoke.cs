using Build.Gateway;
using Cake.Frosting;

namespace Build.Tasks;

[TaskDescription("Sends one real chat completion and requires non-empty text in choices[0].message.content")]
[IsDependentOn(typeof(KeyCheck))]
public sealed class ChatSmoke : VerificationTask
{
    protected override IEnumerable<string> Prerequisites => [nameof(HealthCheck)];

    protected override async Task<string> CheckAsync(BuildContext context)
    {
        var settings = context.Settings;
        var outcome = await new ChatProbe(context.Gateway).RunAsync(settings.Model, settings.MaxTokens, settings.Stream, context.Cancellation.Token);
        context.Facts.Chat = outcome;
        return outcome.Detail;
    }
}
