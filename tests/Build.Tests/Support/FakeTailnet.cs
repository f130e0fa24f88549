using System.Formats.Tar;
using System.IO.Compression;
using Newtonsoft.Json.Linq;

namespace Build.Tests.Support;

/// <summary>
/// Fake tailscale and tailscaled on PATH (tests/FakeTailscale: the CLI answering in this test host, tailscaled a
/// process of its own, behind two wrapper scripts), with a
/// scenario, a state folder and the log of every call they received.
/// </summary>
public sealed class FakeTailnet : IDisposable
{
    public const string GatewayName = "litellm.tail1234.ts.net";
    public const string GatewayAddress = "100.101.102.103";

    public FakeTailnet(string scenario = "ok")
    {
        Root = Directory.CreateTempSubdirectory("fake-tailnet-").FullName;
        Bin = Directory.CreateDirectory(Path.Combine(Root, "bin")).FullName;
        State = Directory.CreateDirectory(Path.Combine(Root, "state")).FullName;
        Scenario = scenario;
        WriteWrapper(Bin, "tailscale");
        WriteWrapper(Bin, "tailscaled");
    }

    public string Root { get; }

    public string Bin { get; }

    public string State { get; }

    public string Scenario { get; set; }

    /// <summary>Environment for ./build.sh: the fakes first on PATH, and their scenario.</summary>
    public Dictionary<string, string> Environment(bool onPath = true) => new()
    {
        ["PATH"] = (onPath ? Bin + ":" : string.Empty) + System.Environment.GetEnvironmentVariable("PATH"),
        ["FAKE_TS_STATE"] = State,
        ["FAKE_TS_SCENARIO"] = Scenario,
        ["FAKE_TS_HOSTS"] = $"{GatewayName}=127.0.0.1",
    };

    /// <summary>The node's backend state as the fakes left it ("NeedsLogin" once logged out).</summary>
    public string Backend => new FakeTailscale.FakeState(State, Scenario, []).Backend;

    /// <summary>A machine whose own tailscale is already up (for --tailnet=reuse).</summary>
    public void AlreadyRunning(string tags = "") => File.WriteAllText(Path.Combine(State, "backend"), "Running");

    /// <summary>The complete entries so far: a line still being written (no newline yet) is left for the next look.</summary>
    public IReadOnlyList<JObject> Calls =>
        File.Exists(Path.Combine(State, "log.jsonl"))
            ? ReadLog().Split('\n')[..^1].Select(JObject.Parse).ToList()
            : [];

    /// <summary>The fakes write the log under an exclusive lock (see FakeState): a read that meets one waits, at most 5 s.</summary>
    private string ReadLog()
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (true)
        {
            try
            {
                return File.ReadAllText(Path.Combine(State, "log.jsonl"));
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(5);
            }
        }
    }

    public IEnumerable<string[]> CliCalls =>
        Calls.Where(call => (string?)call["role"] == "tailscale").Select(call => call["args"]!.Select(arg => arg.ToString()).ToArray());

    public string AllArguments => string.Join('\n', Calls.SelectMany(call => call["args"]!.Select(arg => arg.ToString())));

    /// <summary>A release tarball of the fakes, the way pkgs.tailscale.com lays one out.</summary>
    public byte[] Tarball(string version, string arch)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip))
        {
            foreach (var name in new[] { "tailscale", "tailscaled" })
            {
                var entry = new PaxTarEntry(TarEntryType.RegularFile, $"tailscale_{version}_{arch}/{name}")
                {
                    DataStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(WrapperText(name))),
                    Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute,
                };
                tar.WriteEntry(entry);
            }
        }

        return buffer.ToArray();
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    // tailscale: a shell client of the fake CLI in this test host (FakeCliServer); tailscaled: a process of its own.
    private static string WrapperText(string role) => role == "tailscale"
        ? FakeCliServer.ClientScript()
        : $"#!/bin/sh\nexec dotnet \"{Path.Combine(AppContext.BaseDirectory, "FakeTailscale.dll")}\" {role} \"$@\"\n";

    private static void WriteWrapper(string directory, string role)
    {
        var path = Path.Combine(directory, role);
        File.WriteAllText(path, WrapperText(role));
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
