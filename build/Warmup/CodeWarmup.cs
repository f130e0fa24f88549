using Build.Gateway;
using Build.Reporting;
using Build.Security;
using Build.Settings;
using Cake.Frosting;
using Spectre.Console;

namespace Build.Warmup;

/// <summary>
/// A warm run spends much of its time on first-use work: loading types, static initialisation, Polly's
/// option validation, Spectre's first table layout, and, without the ReadyToRun copy, the JIT. While the
/// main thread starts the host and audits the workflows, a background thread runs the gateway probes once
/// against an in-memory gateway (no socket, no name lookup, no key) and draws a summary table, so the real
/// checks and Summary find that work done. Nothing it produces is kept.
/// </summary>
public static class CodeWarmup
{
    /// <summary>VERIFY_WARMUP=0 turns the warm-up off.</summary>
    public const string Switch = "VERIFY_WARMUP";

    private static readonly Uri Gateway = new("http://gateway.warmup.invalid/");


    /// <summary>Targets whose run reaches the gateway probes (Verify is the default): the only runs the warm-up helps.</summary>
    private static readonly string[] ProbingTargets = ["Verify", "Default", "Summary", "HealthCheck", "KeyCheck", "ChatSmoke"];

    /// <summary>
    /// Worth it only with a spare core, when the run will probe the gateway, and when not switched off. A run of
    /// Harden or ConnectTailnet alone probes nothing: warming the probes there only costs CPU. The host calls
    /// <see cref="StartIfUseful"/> only on runs that run tasks, with the targets it read.
    /// </summary>
    public static bool ShouldRun(TargetSelection selection, int processorCount, string? switchValue) =>
        processorCount > 1
        && switchValue != "0"
        && selection.Targets.Any(target => ProbingTargets.Contains(target, StringComparer.OrdinalIgnoreCase));

    /// <summary>Starts the warm-up on a background thread (it never keeps the process alive); false when not worth it.</summary>
    public static bool StartIfUseful(TargetSelection selection)
    {
        if (!ShouldRun(selection, Environment.ProcessorCount, Environment.GetEnvironmentVariable(Switch)))
        {
            return false;
        }

        new Thread(() =>
        {
            try
            {
                RunOnce();
            }
            catch (Exception)
            {
                // A warm-up that fails costs nothing but the time it saved.
            }
        })
        { IsBackground = true, Name = "warm-up" }.Start();
        return true;
    }

    /// <summary>The warm-up itself, what each step concluded (for tests: a step the real code rejects would warm nothing).</summary>
    public static IReadOnlyList<string> RunOnce()
    {
        // The main thread reaches the probes soon after the audit starts, and the summary last: warm
        // those, in that order, while it audits. (Warming what the main thread is about to do itself only
        // makes both wait for the same methods.)
        var settings = new VerifySettings
        {
            GatewayUrl = Gateway,
            GatewayUrlSource = "warm-up",
            Model = "warm-up",
            HealthPath = HealthProbe.LivelinessPath,
            Deadline = TimeSpan.FromSeconds(2),
            ReportPath = string.Empty,
        };
        using var client = new GatewayClient(settings.Gateway, new EgressPolicy(EgressMode.Block), connect: (_,
            _) => ValueTask.FromResult<Stream>(new CannedGatewayConnection(Answer)));
        using var timeout = new CancellationTokenSource(settings.Deadline);
        var health = new HealthProbe(client).RunAsync(settings.HealthPath, deep: false, timeout.Token).GetAwaiter().GetResult();
        var chat = new ChatProbe(client).RunAsync(settings.Model, settings.MaxTokens, stream: false, timeout.Token).GetAwaiter().GetResult();
        var screen = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(screen), Ansi = AnsiSupport.Yes });
        var results = new TaskResults();
        results.Pass("warm-up", "sample");
        SummaryTable.WriteConsole(console, results, RunVerdict.From(results), new Redactor());
        return [health.Detail, chat.Detail, $"{screen.ToString().Split('\n').Length} line(s) drawn"];
    }

    /// <summary>LiteLLM's answers, trimmed to what the probes read (see tests/LiteLlmStandIn for the full contract).</summary>
    internal static (int Code, string ContentType, string Body) Answer(string method, string path) => (method, path) switch
    {
        ("GET", HealthProbe.LivelinessPath) => (200, "application/json", "\"I'm alive!\""),
        ("GET", HealthProbe.ReadinessPath) => (200, "application/json", """{"status":"healthy","db":"Not connected","litellm_version":"0.0.0"}"""),
        ("POST", ChatProbe.CompletionsPath) => (200, "application/json", """
            {"id":"chatcmpl-0","object":"chat.completion","model":"warm-up",
             "choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant","content":"pong"}}],
             "usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}
            """),
        _ => (404, "application/json", """{"detail":"Not Found"}"""),
    };
}
