using Build.Gateway;

namespace Build.Tailnet;

/// <summary>The tailscale CLI, talking to the machine's tailscaled or to this run's private one (<c>--socket</c>).</summary>
public sealed class TailscaleCli(string program, string? socket)
{
    public static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(20);

    public string Program => program;

    public Task<ProcessResult> RunAsync(IEnumerable<string> arguments, CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        var all = socket is null ? arguments : new[] { $"--socket={socket}" }.Concat(arguments);
        return ProcessRun.RunAsync(program, all, timeout ?? CommandTimeout, cancellationToken);
    }

    public async Task<TailscaleStatus> StatusAsync(CancellationToken cancellationToken)
    {
        var result = await RunAsync(["status", "--json"], cancellationToken);
        if (result.Output.Contains("failed to connect to local tailscaled", StringComparison.OrdinalIgnoreCase)
            || result.Output.Contains("doesn't appear to be running", StringComparison.OrdinalIgnoreCase))
        {
            throw new CheckFailedException(Failure.Of(FailureClass.TailscaledNotRunning));
        }

        return TailscaleStatus.Parse(result.StandardOutput)
            ?? throw new CheckFailedException(Failure.Of(FailureClass.TailscaleFailed, $"tailscale status --json gave no status (exit {result.ExitCode})"));
    }

    /// <summary>Finds tailscale on PATH (or next to this program's cached install).</summary>
    public static string? Find(string name, string? extraDirectory = null)
    {
        var directories = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator,
            StringSplitOptions.RemoveEmptyEntries).ToList();
        if (extraDirectory is not null)
        {
            directories.Insert(0, extraDirectory);
        }

        return directories.Select(directory => Path.Combine(directory, name)).FirstOrDefault(File.Exists);
    }
}
