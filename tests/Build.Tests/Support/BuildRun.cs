using System.Diagnostics;
using Newtonsoft.Json.Linq;

namespace Build.Tests.Support;

/// <summary>One run of ./build.sh as a process: its exit code, output, report and step summary.</summary>
public sealed class BuildRun
{
    private static readonly string[] InheritedSettings =
        ["LITELLM_URL", "LITELLM_HOST", "LITELLM_PORT", "LITELLM_API_KEY", "LITELLM_MODEL", "LITELLM_CA_CERT", "GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY", "CI", "RUNNER_TEMP"];

    /// <summary>
    /// The PowerShell of the repository's tool manifest (.config/dotnet-tools.json), started as `dotnet pwsh.dll` from
    /// the NuGet packages folder as an installed pwsh starts (`dotnet pwsh` would first load the SDK to find the tool);
    /// "pwsh" through the dotnet tool when it is not there.
    /// </summary>
    private static readonly Lazy<string> PowerShell = new(() =>
    {
        var manifest = Newtonsoft.Json.Linq.JObject.Parse(File.ReadAllText(Repository.PathOf(".config/dotnet-tools.json")));
        var version = (string?)manifest["tools"]?["powershell"]?["version"];
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var dll = Path.Combine(packages, "powershell", version ?? "none", "tools", "net10.0", "any", OperatingSystem.IsWindows() ? "win" : "unix", "pwsh.dll");
        return File.Exists(dll) ? dll : "pwsh";
    });

    /// <summary>The dotnet on this test host's PATH, as a shell finds it.</summary>
    public static readonly Lazy<string> Dotnet = new(() =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
            .Select(folder => Path.Combine(folder, "dotnet")).FirstOrDefault(File.Exists) ?? "dotnet");

    /// <summary>
    /// Whether this process ignores a signal the tests send: HUP, INT or TERM (signals 1, 2 and 15: mask 0x4003 of SigIgn
    /// in /proc/self/status).
    /// </summary>
    private static readonly Lazy<bool> HostIgnoresASignal = new(() =>
    {
        var mask = File.ReadLines("/proc/self/status").FirstOrDefault(line => line.StartsWith("SigIgn:", StringComparison.Ordinal))?["SigIgn:".Length..].Trim();
        return mask is not null && (Convert.ToUInt64(mask, 16) & 0x4003) != 0;
    });

    /// <summary>An empty trust store (a file and a folder) in the suite's temp folder, removed with it.</summary>
    private static readonly Lazy<(string File, string Folder)> NoSystemTrust = new(() =>
    {
        var folder = Directory.CreateTempSubdirectory("no-system-trust-").FullName;
        var file = Path.Combine(folder, "none.pem");
        File.WriteAllText(file, string.Empty);
        return (file, folder);
    });

    private static readonly Lazy<Json.Schema.JsonSchema> ReportSchema = new(() => Json.Schema.JsonSchema.FromText(File.ReadAllText(Repository.PathOf("docs/report.schema.json"))));

    public required int ExitCode { get; init; }

    public required string StandardOutput { get; init; }

    public required string StandardError { get; init; }

    public required string WorkDirectory { get; init; }

    public string Output => StandardOutput + StandardError;

    public string ReportPath => Path.Combine(WorkDirectory, "report.json");

    public string StepSummaryPath => Path.Combine(WorkDirectory, "step-summary.md");

    public JObject Report => JObject.Parse(File.ReadAllText(ReportPath));

    public string StepSummary => File.Exists(StepSummaryPath) ? File.ReadAllText(StepSummaryPath) : string.Empty;

    public string JUnitPath => Path.Combine(WorkDirectory, "junit.xml");

    public string JUnit => File.Exists(JUnitPath) ? File.ReadAllText(JUnitPath) : string.Empty;

    public JToken Task(string name) =>
        Report["tasks"]!.FirstOrDefault(task => (string?)task["name"] == name) ?? throw new AssertionException($"no task {name} in the report:\n{Report}");

    /// <summary>Everything the run wrote: console, report and step summary.</summary>
    public string Everything => Output + (File.Exists(ReportPath) ? File.ReadAllText(ReportPath) : string.Empty) + StepSummary + JUnit;

    /// <summary>A test's arguments after the defaults it does not give itself: a repeated option is a settings error.</summary>
    public static string[] WithDefaults(string[] defaults, string[] arguments)
    {
        var given = arguments.Select(argument => argument.Split('=')[0]).ToHashSet();
        return [.. defaults.Where(option => !given.Contains(option.Split('=')[0])), .. arguments];
    }

    /// <summary>Runs ./build.sh with the given arguments; settings come only from <paramref name="environment"/>.</summary>
    public static BuildRun Start(IEnumerable<string> arguments, IDictionary<string, string>? environment = null, bool withReport = true, TimeSpan? timeout = null, Func<bool>? interruptWhen = null, string signal = "INT", string? workingDirectory = null, string script = "build.sh", string[]? command = null, string? repository = null, bool warmup = false, bool asTerminal = false, bool publishes = false)
    {
        // repository: the copy whose scripts run (SharedCopy unless a test names the checkout or its own RepositoryCopy).
        var root = repository ?? SharedCopy.Root;
        var work = Directory.CreateTempSubdirectory("verify-run-").FullName;
        // build.ps1 runs under the PowerShell of the repository's tool manifest, as -File from another shell.
        // command: another program that runs the build (a workflow step's shell, say), with its arguments.
        // PowerShell starts through the dotnet on this test host's PATH, not one a test puts on the run's PATH.
        var start = new ProcessStartInfo(command?[0] ?? (script == "build.ps1" ? Dotnet.Value : Path.Combine(root, script)))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? root,
        };
        if (script == "build.ps1")
        {
            foreach (var argument in new[] { PowerShell.Value, "-NoProfile", "-NonInteractive", "-File", Path.Combine(root, script) })
            {
                start.ArgumentList.Add(argument);
            }
        }

        foreach (var argument in command?[1..] ?? [])
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        if (withReport)
        {
            start.ArgumentList.Add($"--report={Path.Combine(work, "report.json")}");
            start.ArgumentList.Add($"--junit={Path.Combine(work, "junit.xml")}");
        }

        foreach (var name in InheritedSettings)
        {
            start.Environment.Remove(name);
        }

        start.Environment["GITHUB_STEP_SUMMARY"] = Path.Combine(work, "step-summary.md");
        start.Environment["NO_COLOR"] = "1";

        // No ReadyToRun publish under test: one test turns it on and waits for it.
        start.Environment["VERIFY_READY_TO_RUN"] = "0";

        // The warm-up trades CPU on the spare core for time on the main one; with fixtures in parallel there is no
        // spare core, so it runs only where a test asks for it (warmup: true) to show it changes nothing.
        if (!warmup)
        {
            start.Environment["VERIFY_WARMUP"] = "0";
        }

        start.Environment["POWERSHELL_TELEMETRY_OPTOUT"] = "1";
        start.Environment["POWERSHELL_UPDATECHECK"] = "Off";

        // No system trust: tests talk to loopback only, so every certificate a run trusts comes from the test CA a test
        // hands it (--ca-cert), never from whatever the machine's store holds. OpenSSL reads its store from these two
        // (.NET loads them for every chain it builds, even a custom-root one: on this machine about 290 certificates,
        // 70 ms of CPU per run that makes a TLS connection).
        // publishes: a run whose script may publish the ReadyToRun copy keeps the machine's store: that publish restores
        // the runtime and crossgen2 packs, from the package source over TLS when the machine's NuGet cache lacks them
        // (a fresh machine: the test build restores no runtime pack).
        if (!publishes)
        {
            start.Environment["SSL_CERT_FILE"] = NoSystemTrust.Value.File;
            start.Environment["SSL_CERT_DIR"] = NoSystemTrust.Value.Folder;
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        if (HostIgnoresASignal.Value)
        {
            // Started with SIGINT ignored (a background job of a non-interactive shell) or SIGHUP ignored (nohup), the test
            // host would pass that on and the program, like a shell, would keep it: Ctrl-C and HUP cases would wait for the
            // deadline. Every run starts with the signals the tests send at their default, as from a terminal or the
            // Actions runner (coreutils' env, which then execs it).
            start.ArgumentList.Insert(0, start.FileName);
            start.ArgumentList.Insert(0, "--default-signal=HUP,INT,TERM");
            start.FileName = "env";
        }

        if (asTerminal)
        {
            // A terminal's Ctrl-C reaches the whole foreground process group, not one process: the run gets a session and
            // group of its own (util-linux setsid, which execs in place), and the signal goes to that group.
            start.ArgumentList.Insert(0, start.FileName);
            start.FileName = "setsid";
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (interruptWhen is not null)
        {
            var waited = Stopwatch.StartNew();
            while (!interruptWhen() && !process.HasExited && waited.Elapsed < TimeSpan.FromSeconds(60))
            {
                Thread.Sleep(100);
            }

            if (!process.HasExited)
            {
                // build.sh execs the build program, so the signal (INT is Ctrl-C) reaches the program itself.
                var target = process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
                using var kill = Process.Start("kill", asTerminal ? [$"-{signal}", "--", "-" + target] : [$"-{signal}", target])!;
                kill.WaitForExit();
            }
        }

        if (!process.WaitForExit(timeout ?? TimeSpan.FromSeconds(90)))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(TimeSpan.FromSeconds(10));
            throw new AssertionException($"{script} did not finish in time\n--- stdout\n{(stdout.Wait(TimeSpan.FromSeconds(5)) ? stdout.Result : "?")}\n--- stderr\n{(stderr.Wait(TimeSpan.FromSeconds(5)) ? stderr.Result : "?")}");
        }

        var run = new BuildRun
        {
            ExitCode = process.ExitCode,
            StandardOutput = stdout.Result,
            StandardError = stderr.Result,
            WorkDirectory = work,
        };
        run.AssertOutputsAgree();
        return run;
    }

    /// <summary>
    /// One verdict: whenever a run wrote its report, the exit code, the report's status, JUnit's failure count,
    /// the step summary's headline and the console table's title all say the same thing. Checked on every run.
    /// </summary>
    public void AssertOutputsAgree()
    {
        if (!File.Exists(ReportPath))
        {
            return;
        }

        var evaluation = ReportSchema.Value.Evaluate(System.Text.Json.JsonDocument.Parse(File.ReadAllText(ReportPath)).RootElement, new Json.Schema.EvaluationOptions { OutputFormat = Json.Schema.OutputFormat.List, RequireFormatValidation = true });
        var errors = (evaluation.Details ?? []).Where(detail => detail.Errors is { Count: > 0 }).SelectMany(detail => detail.Errors!.Select(error => $"{detail.InstanceLocation}: {error.Value}")).ToList();
        Assert.That(evaluation.IsValid, Is.True, $"the report does not match docs/report.schema.json:\n{string.Join("\n", errors)}\n{File.ReadAllText(ReportPath)}");

        var passed = ExitCode == 0;
        var status = (string?)Report["status"];
        Assert.That(status, Is.EqualTo(passed ? "passed" : "failed"), $"the report disagrees with the exit code\n{this}");
        Assert.That((string?)Report["reason"], passed ? Is.Null : Is.Not.Null, $"a failed report gives its reason\n{this}");
        if (File.Exists(JUnitPath))
        {
            var failures = int.Parse((string?)System.Xml.Linq.XDocument.Parse(JUnit).Root!.Attribute("failures") ?? "-1", System.Globalization.CultureInfo.InvariantCulture);
            Assert.That(failures == 0, Is.EqualTo(passed), $"JUnit counts {failures} failure(s) for exit {ExitCode}\n{this}");
        }

        if (StepSummary.Length > 0)
        {
            Assert.That(StepSummary, Does.StartWith($"### LiteLLM gateway verification: {(passed ? "✅ passed" : "❌ failed")}"), $"the step summary disagrees with the exit code\n{this}");
        }

        if (StandardOutput.Contains("Verify passed", StringComparison.Ordinal) || StandardOutput.Contains("Verify failed", StringComparison.Ordinal))
        {
            Assert.That(StandardOutput, Does.Contain(passed ? "Verify passed" : "Verify failed").And.Not.Contain(passed ? "Verify failed" : "Verify passed"), $"the console table disagrees with the exit code\n{this}");
        }
    }

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{StandardOutput}\n--- stderr\n{StandardError}";
}
