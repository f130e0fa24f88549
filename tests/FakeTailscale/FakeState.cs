using System.Text.Json;
using System.Text.Json.Nodes;

namespace FakeTailscale;

/// <summary>The fake's state on disk: backend state, advertised tags, and a JSON-lines log of every call.</summary>
public sealed class FakeState(string directory)
{
    public string Directory => directory;

    public IReadOnlySet<string> Scenario { get; } =
        (Environment.GetEnvironmentVariable("FAKE_TS_SCENARIO") ?? "ok").Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet();

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
            ["env"] = new JsonArray(Environment.GetEnvironmentVariables().Keys.Cast<string>().Order().Select(name => (JsonNode)name).ToArray()),
        };
        foreach (var (key, value) in extra ?? [])
        {
            entry[key] = value?.DeepClone();
        }

        // tailscale and tailscaled are separate processes appending to one log: each entry goes out in a single
        // O_APPEND write (no buffering), so two processes' lines never interleave (AppendAllText splits long lines).
        var line = System.Text.Encoding.UTF8.GetBytes(entry.ToJsonString(new JsonSerializerOptions { WriteIndented = false }) + "\n");
        using var log = new FileStream(Path.Combine(directory, "log.jsonl"), FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
        log.Write(line);
    }
}
