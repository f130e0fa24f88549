using Build.Gateway;
using Build.Hardening;
using Build.Reporting;
using Build.Security;
using Build.Settings;
using Cake.Cli;
using Cake.Core.Diagnostics;
using Spectre.Console;

namespace Build.Warmup;

/// <summary>
/// Most of a warm run's time is the JIT compiling generic code that ReadyToRun cannot precompile (async
/// state machines over the framework's builders, collections of value types): about 1,300 methods. While
/// the main thread parses options and audits the workflows, a background thread runs the same workflow
/// audit and gateway probes once against a sample workflow and an in-memory gateway (no socket, no name
/// lookup, no key), so the real checks find that code compiled. Nothing it produces is kept.
/// </summary>
public static class CodeWarmup
{
    /// <summary>VERIFY_WARMUP=0 turns the warm-up off.</summary>
    public const string Switch = "VERIFY_WARMUP";

    private static readonly Uri Gateway = new("http://gateway.warmup.invalid/");

    /// <summary>Options after which no check runs: nothing to warm.</summary>
    private static readonly string[] NoCheckOptions = ["--tree", "--help", "-h", "-?", "--version", "--description", "--dryrun", "--noop", "--whatif", "--info"];

    /// <summary>Worth it only with a spare core, when the run will check something, and when not switched off.</summary>
    public static bool ShouldRun(IReadOnlyCollection<string> args, int processorCount, string? switchValue) =>
        processorCount > 1
        && switchValue != "0"
        && !args.Any(argument => NoCheckOptions.Contains(argument.Split('=', 2)[0], StringComparer.OrdinalIgnoreCase));

    /// <summary>Starts the warm-up on a background thread (it never keeps the process alive); false when not worth it.</summary>
    public static bool StartIfUseful(IReadOnlyCollection<string> args)
    {
        if (!ShouldRun(args, Environment.ProcessorCount, Environment.GetEnvironmentVariable(Switch)))
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
        // In the order the run needs them: Cake's step header and the summary table, the audit, the probes.
        var screen = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(screen), Ansi = AnsiSupport.Yes });
        new CakeSpectreReportPrinter(console).WriteStep("warm-up", Verbosity.Normal);
        var results = new TaskResults();
        results.Pass("warm-up", "sample");
        SummaryTable.WriteConsole(console, results, new Redactor());
        var findings = WorkflowAudit.AuditFile(".github/workflows/warm-up.yml", SampleWorkflow);
        var settings = new VerifySettings
        {
            GatewayUrl = Gateway,
            GatewayUrlSource = "warm-up",
            Model = "warm-up",
            HealthPath = HealthProbe.LivelinessPath,
            Deadline = TimeSpan.FromSeconds(2),
            ReportPath = string.Empty,
        };
        using var client = new GatewayClient(settings, new EgressPolicy(EgressMode.Block), connect: (_, _) => ValueTask.FromResult<Stream>(new CannedGatewayConnection(Answer)));
        using var timeout = new CancellationTokenSource(settings.Deadline);
        var health = new HealthProbe(client).RunAsync(settings.HealthPath, deep: false, timeout.Token).GetAwaiter().GetResult();
        var chat = new ChatProbe(client).RunAsync(settings.Model, 16, stream: false, timeout.Token).GetAwaiter().GetResult();
        return [$"{screen.ToString().Split('\n').Length} line(s) drawn", $"{findings.Count} finding(s)", health.Detail, chat.Detail];
    }

    /// <summary>LiteLLM's answers, trimmed to what the probes read (see tests/LiteLlmStandIn for the full contract).</summary>
    internal static (int Code, string ContentType, string Body) Answer(string method, string path) => (method, path) switch
    {
        ("GET", HealthProbe.LivelinessPath) => (200, "application/json", "\"I'm alive!\""),
        ("GET", HealthProbe.ReadinessPath) => (200, "application/json", """{"status":"healthy","db":"Not connected","litellm_version":"0.0.0"}"""),
        ("POST", ChatProbe.CompletionsPath) => (200, "application/json", """{"id":"chatcmpl-0","object":"chat.completion","model":"warm-up","choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant","content":"pong"}}],"usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}"""),
        _ => (404, "application/json", """{"detail":"Not Found"}"""),
    };

    private const string SampleWorkflow = """
        name: warm-up
        on:
          pull_request:
        permissions: {}
        jobs:
          verify:
            runs-on: ubuntu-latest
            timeout-minutes: 5
            permissions:
              contents: read
            steps:
              - uses: step-security/harden-runner@0000000000000000000000000000000000000000 # v2
                with:
                  egress-policy: audit
              - uses: actions/checkout@0000000000000000000000000000000000000000 # v4
                with:
                  persist-credentials: false
              - run: ./build.sh --target=Verify
                env:
                  LITELLM_API_KEY: ${{ secrets.LITELLM_API_KEY }}
                  TITLE: ${{ github.event.pull_request.title }}
        """;
}
