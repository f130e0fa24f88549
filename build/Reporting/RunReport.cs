using Build.Core;
using Build.Security;
using Build.Settings;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Build.Reporting;

/// <summary>The JSON report: overall status, one entry per task, the gateway facts; every string redacted.</summary>
public static class RunReport
{
    public const string NoCheckRan = RunVerdict.NoCheckRan;

    /// <summary>The report's shape (docs/report.schema.json); raised when a field changes meaning or is removed.</summary>
    public const int SchemaVersion = 1;

    public static JObject Build(string target, DateTimeOffset started, TimeSpan duration, TaskResults results, RunVerdict verdict, RunFacts facts,
        EgressPolicy egress, string tlsVerification, Redactor redactor, (TimeSpan Check, TimeSpan Sweep)? deadlines = null)
    {
        var tasks = new JArray(results.All.Select(result => new JObject
        {
            ["name"] = result.Name,
            ["status"] = result.Status.ToString().ToLowerInvariant(),
            ["durationMs"] = result.DurationMs,
            ["detail"] = result.Detail,
            ["hint"] = result.Hint,
            ["failure"] = result.FailureId,
        }));

        var report = new JObject
        {
            ["schemaVersion"] = SchemaVersion,
            ["status"] = verdict.Status,
            ["reason"] = verdict.Reason,
            ["message"] = verdict.Message,
            ["target"] = target,
            ["startedAt"] = started.ToString("O"),
            ["durationMs"] = (long)duration.TotalMilliseconds,
            ["tlsVerification"] = tlsVerification,
            ["tasks"] = tasks,
            ["egress"] = new JObject
            {
                ["mode"] = egress.Mode.ToString().ToLowerInvariant(),
                ["destinations"] = new JArray(egress.Destinations.Select(record => new JObject
                {
                    ["origin"] = record.Origin,
                    ["host"] = HostKind(record.Origin),
                    ["allowed"] = record.Allowed,
                    ["blocked"] = record.Blocked,
                    ["requests"] = record.Requests,
                })),
            },
            ["warnings"] = new JArray(facts.Warnings),
            ["notes"] = new JArray(facts.Notes),
            ["workflowFindings"] = new JArray(facts.Findings.Select(finding => new JObject
            {
                ["path"] = finding.Path,
                ["line"] = finding.Line,
                ["severity"] = finding.Severity.ToString().ToLowerInvariant(),
                ["rule"] = finding.RuleId,
                ["message"] = finding.Message,
                ["fix"] = finding.Fix,
            })),
        };

        // Facts a run did not learn are null, never missing keys.
        report["hardenProfile"] = facts.HardenProfile;
        report["hardenRunner"] = null;
        report["gateway"] = null;
        report["key"] = null;
        report["chat"] = null;
        if (facts.HardenRunner is { } agent)
        {
            report["hardenRunner"] = new JObject
            {
                ["running"] = agent.Running,
                ["egressPolicy"] = agent.EgressPolicy,
                ["policyInForce"] = agent.PolicyInForce,
                ["reason"] = agent.Reason,
                ["privateRepository"] = agent.PrivateRepository,
            };
        }

        if (facts.Health is { } health)
        {
            report["gateway"] = new JObject
            {
                ["isLiteLlm"] = health.IsLiteLlm,
                ["litellmVersion"] = health.LiteLlmVersion,
                ["database"] = health.Database,
                ["healthyModels"] = health.HealthyModels,
            };
        }

        if (facts.Key is { } key)
        {
            report["key"] = new JObject
            {
                ["alias"] = key.Info?.Alias,
                ["expires"] = key.Info?.Expires?.ToString("O"),
                ["spend"] = key.Info?.Spend,
                ["maxBudget"] = key.Info?.MaxBudget,
                ["models"] = key.Info is { } info ? new JArray(info.Models) : null,
                ["allModels"] = key.Info?.AllModels,
                ["rpmLimit"] = key.Info?.RpmLimit,
                ["tpmLimit"] = key.Info?.TpmLimit,
                ["findings"] = new JArray(key.Findings.Select(finding => new JObject
                {
                    ["severity"] = finding.Severity.ToString().ToLowerInvariant(),
                    ["message"] = finding.Message,
                    ["fix"] = finding.Fix,
                })),
            };
        }

        if (facts.Chat is { } chat)
        {
            report["chat"] = new JObject
            {
                ["model"] = chat.AnsweringModel,
                ["latencyMs"] = chat.LatencyMs,
                ["promptTokens"] = chat.PromptTokens,
                ["completionTokens"] = chat.CompletionTokens,
                ["totalTokens"] = chat.TotalTokens,
                ["finishReason"] = chat.FinishReason,
                ["litellmVersion"] = chat.LiteLlmVersion,
                ["modelId"] = chat.ModelId,
                ["modelApiBase"] = chat.ApiBaseHeaderSeen ? Redactor.Placeholder : null,
                ["streamed"] = chat.Streamed,
            };
        }

        if (facts.Models.Count > 0)
        {
            var sweep = report["chat"] as JObject ?? new JObject { ["model"] = null, ["latencyMs"] = null, ["promptTokens"] = null, ["completionTokens"] = null,
                ["totalTokens"] = null, ["finishReason"] = null, ["litellmVersion"] = null, ["modelId"] = null, ["modelApiBase"] = null, ["streamed"] = null };
            sweep["models"] = new JArray(facts.Models.Select(result => new JObject
            {
                ["model"] = result.Model,
                ["status"] = result.Passed ? "passed" : "failed",
                ["latencyMs"] = result.Outcome?.LatencyMs,
                ["detail"] = result.Detail,
                ["failure"] = result.Failure?.Id,
                ["hint"] = result.Failure?.Fix,
            }));
            sweep["deadlineMs"] = deadlines is { } given ? (long)given.Check.TotalMilliseconds : null;
            sweep["sweepDeadlineMs"] = deadlines is { } budgets ? (long)budgets.Sweep.TotalMilliseconds : null;
            if (Gateway.ModelSweep.Latency(facts.Models) is var (slowest, median))
            {
                sweep["slowestModel"] = slowest.Model;
                sweep["slowestMs"] = slowest.Outcome!.LatencyMs;
                sweep["medianMs"] = median;
            }

            report["chat"] = sweep;
        }

        if (report["chat"] is JObject chatFacts)
        {
            foreach (var name in new[] { "models", "slowestModel", "slowestMs", "medianMs", "deadlineMs", "sweepDeadlineMs" })
            {
                chatFacts[name] ??= null;
            }
        }

        RedactStrings(report, redactor);
        return report;
    }

    /// <summary>What can be said of a destination's host without naming it.</summary>
    public static string HostKind(string origin)
    {
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri))
        {
            return "unknown";
        }

        return uri.IsLoopback ? "loopback"
            : uri.Host.EndsWith(".ts.net", StringComparison.OrdinalIgnoreCase) ? "tailnet name"
            : TailnetAddresses.IsTailnetHost(uri) ? "tailnet address"
            : "other";
    }

    /// <summary>Every string in the report, whatever field it is in, passes the one redaction point.</summary>
    private static void RedactStrings(JContainer token, Redactor redactor)
    {
        foreach (var value in token.DescendantsAndSelf().OfType<JValue>().Where(value => value.Value is string).ToList())
        {
            value.Value = redactor.Redact((string?)value.Value);
        }
    }

    public static void Write(string path, JObject report) =>
        OutputFile.WriteAllText(path, report.ToString(Formatting.Indented) + Environment.NewLine);
}
