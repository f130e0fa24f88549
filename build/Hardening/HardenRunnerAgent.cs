using Newtonsoft.Json.Linq;

namespace Build.Hardening;

/// <summary>What a later step can learn about step-security/harden-runner: is its agent up, and in which egress mode.</summary>
public sealed record HardenRunnerState(bool Running, string? EgressPolicy)
{
    public const string DefaultDirectory = "/home/agent";

    public static HardenRunnerState Read(string directory)
    {
        var status = Path.Combine(directory, "agent.status");
        var running = File.Exists(status) && File.ReadAllText(status).Contains("Initialized", StringComparison.Ordinal);
        string? policy = null;
        var config = Path.Combine(directory, "agent.json");
        if (File.Exists(config))
        {
            try
            {
                policy = JObject.Parse(File.ReadAllText(config))["egress_policy"]?.ToString();
            }
            catch (Newtonsoft.Json.JsonException)
            {
                policy = null;
            }
        }

        return new HardenRunnerState(running, policy);
    }
}
