using System.Diagnostics;
using Build.Settings;

namespace Build.Tailnet;

public sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError, bool TimedOut)
{
    public string Output => StandardOutput + StandardError;
}

/// <summary>
/// Runs a program with an argument list (no shell), a timeout, and an environment stripped of
/// every secret the build knows: a child process gets only what its arguments and files give it.
/// </summary>
public static class ProcessRun
{
    private static readonly string[] SecretVariables =
    [
        EnvironmentNames.LiteLlmApiKey, EnvironmentNames.TsOAuthSecret, EnvironmentNames.TsAuthKey, EnvironmentNames.TsOAuthClientId,
        EnvironmentNames.OidcRequestToken, EnvironmentNames.ActionsRuntimeToken, EnvironmentNames.GitHubToken,
    ];

    public static async Task<ProcessResult> RunAsync(string program, IEnumerable<string> arguments, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var process = new Process { StartInfo = StartInfo(program, arguments) };
        process.Start();
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            cancellationToken.ThrowIfCancellationRequested();
            return new ProcessResult(-1, await Safe(stdout), await Safe(stderr), TimedOut: true);
        }

        return new ProcessResult(process.ExitCode, await stdout, await stderr, TimedOut: false);
    }

    /// <summary>Starts a long-running program; output goes to a log file in its private folder.</summary>
    public static Process Start(string program, IEnumerable<string> arguments, string logPath)
    {
        var start = StartInfo(program, arguments);
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var sync = new Lock();
        void Append(string? line)
        {
            if (line is not null)
            {
                lock (sync)
                {
                    File.AppendAllText(logPath, line + "\n");
                }
            }
        }

        process.OutputDataReceived += (_, line) => Append(line.Data);
        process.ErrorDataReceived += (_, line) => Append(line.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static ProcessStartInfo StartInfo(string program, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var name in SecretVariables)
        {
            start.Environment.Remove(name);
        }

        return start;
    }

    private static async Task<string> Safe(Task<string> read)
    {
        try
        {
            return await read;
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException)
        {
            return string.Empty;
        }
    }
}
