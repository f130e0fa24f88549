using System.Text.Json;
using System.Text.Json.Nodes;

namespace FakeTailscale;

/// <summary>
/// The fake's state on disk: backend state, advertised tags, and a JSON-lines log of every call. A call's scenario
/// (comma-separated) and the names in its caller's environment come from the process that made the call.
/// </summary>
public sealed class FakeState(string directory, string? scenario, IReadOnlyCollection<string> environmentNames)
{
    /// <summary>This process's call: FAKE_TS_STATE, FAKE_TS_SCENARIO and the names in its environment.</summary>
    public static FakeState FromEnvironment() =>
        new(
            Environment.GetEnvironmentVariable("FAKE_TS_STATE") ?? throw new InvalidOperationException("FAKE_TS_STATE is not set"),
            Environment.GetEnvironmentVariable("FAKE_TS_SCENARIO"),
            Environment.GetEnvironmentVariables().Keys.Cast<string>().ToList());

    public string Directory => directory;

    public IReadOnlySet<string> Scenario { get; } = (scenario ?? "ok").Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet();

    public bool Has(string scenario) => Scenario.Contains(scenario);

    public string Backend
    {
        get => File.Exists(Path.Combine(directory, "backend")) ? File.ReadAllText(Path.Combine(directory, "backend")) : "NoState";
        set => File.WriteAllText(Path.Combine(directory, "backend"), value);
    }

    public string Tags
    {
        get => File.Exists(Path.Combine(directory, "tags")) ? File.ReadAllText(Path.Combine(directory, "tags")) : string.Empty;
        set => File.WriteAllText(Path.Combine(directory, "tags"), value);
    }

    public void Log(string role, IEnumerable<string> args, JsonObject? extra = null)
    {
        var entry = new JsonObject
        {
            ["role"] = role,
            ["args"] = new JsonArray(args.Select(arg => (JsonNode)arg).ToArray()),
            ["env"] = new JsonArray(environmentNames.Order(StringComparer.Ordinal).Select(name => (JsonNode)name).ToArray()),
        };
        foreach (var (key, value) in extra ?? [])
        {
            entry[key] = value?.DeepClone();
        }

        // tailscale and tailscaled are separate processes appending to one log. .NET's FileMode.Append seeks to
        // the end rather than opening with O_APPEND, so two writers can land on the same offset and one line
        // overwrite the other: each entry is written whole, under an exclusive lock (FileShare.None is a
        // flock between .NET processes), retried for at most 5 s.
        var line = System.Text.Encoding.UTF8.GetBytes(entry.ToJsonString(new JsonSerializerOptions { WriteIndented = false }) + "\n");
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (true)
        {
            try
            {
                using var log = new FileStream(Path.Combine(directory, "log.jsonl"), FileMode.Append, FileAccess.Write, FileShare.None, bufferSize: 0);
                log.Write(line);
                return;
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(5);
            }
        }
    }
}
