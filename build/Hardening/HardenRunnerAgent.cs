using Newtonsoft.Json.Linq;

namespace Build.Hardening;

/// <summary>
/// What step-security/harden-runner's agent really did in this job, which can differ from what it
/// was asked: <c>agent.json</c> keeps the requested <c>egress_policy</c> even when the agent fell back.
/// Read from step-security/agent: <c>agent.go</c> (a private repository without a subscription runs
/// in audit mode with sudo enabled; an allowed endpoint that does not resolve reverts the agent),
/// <c>annotation.go</c> (both write a line to <c>annotation.log</c>), <c>config.go</c> (the
/// <c>private</c> field) and <c>writeStatus</c> (<c>agent.status</c>).
/// </summary>
/// <param name="Fix">What to do about <paramref name="Reason"/>: each reason the agent gives has its own.</param>
public sealed record HardenRunnerState(bool Running, string? EgressPolicy, string? PolicyInForce, string? Reason, bool PrivateRepository, string? Fix = null)
{
    public const string DefaultDirectory = "/home/agent";

    // step-security/agent agent.go, the two annotations that say the agent did not do as asked.
    private const string SubscriptionRequired = "A subscription is required for private repositories";
    private const string Reverting = "Reverting agent since allowed endpoint";

    public static HardenRunnerState Read(string directory, string? eventPath = null)
    {
        var status = ReadText(Path.Combine(directory, "agent.status"));
        var running = status?.Contains("Initialized", StringComparison.Ordinal) == true;
        var config = ReadJson(ReadText(Path.Combine(directory, "agent.json")));
        var policy = config?["egress_policy"]?.Type == JTokenType.String ? (string?)config["egress_policy"] : null;
        var isPrivate = IsTrue(config?["private"]) || IsTrue((ReadJson(eventPath is null ? null : ReadText(eventPath))?["repository"] as JObject)?["private"]);

        var annotations = ReadText(Path.Combine(directory, "annotation.log")) ?? string.Empty;
        if (annotations.Contains(Reverting, StringComparison.Ordinal))
        {
            return new HardenRunnerState(running, policy, "none",
                "the agent reverted itself: an allowed endpoint could not be resolved (an IP address or a tailnet name in allowed-endpoints?)", isPrivate,
                "remove IP addresses and tailnet (*.ts.net, 100.x) names from allowed-endpoints: the agent resolves each through DNS at start and reverts " +
                    "when one fails; a job that joins a tailnet runs harden-runner in audit mode");
        }

        if (annotations.Contains(SubscriptionRequired, StringComparison.Ordinal))
        {
            return new HardenRunnerState(running, policy, "audit",
                "private repository without a StepSecurity subscription: the agent runs in audit mode and leaves sudo enabled", isPrivate,
                "block mode in a private repository needs a paid StepSecurity subscription; without one, keep egress-policy: audit and rely on the build's " +
                    "--egress=block for its own traffic (README: Security model)");
        }

        return new HardenRunnerState(running, policy, policy, null, isPrivate);
    }

    private static bool IsTrue(JToken? token) => token?.Type == JTokenType.Boolean && (bool)token;

    private static string? ReadText(string path)
    {
        try
        {
            // The agent's files are small; anything larger is not the agent's.
            var info = new FileInfo(path);
            return info.Exists && info.Length is > 0 and <= 1024 * 1024 ? File.ReadAllText(path) : null;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static JObject? ReadJson(string? text)
    {
        try
        {
            return text is null ? null : JToken.Parse(text) as JObject;
        }
        catch (Newtonsoft.Json.JsonException)
        {
            return null;
        }
    }
}
