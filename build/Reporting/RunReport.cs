using Build.Security;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Build.Reporting;

/// <summary>The JSON report: overall status, one entry per task, the gateway facts; every string redacted.</summary>
public static class RunReport
{
    public static JObject Build(string target, DateTimeOffset started, TimeSpan duration, TaskResults results, RunFacts facts, EgressPolicy egress, bool insecure, Redactor redactor)
    {
        var tasks = new JArray(results.All.Select(result => new JObject
        {
            ["name"] = result.Name,
            ["status"] = result.Status.ToString().ToLowerInvariant(),
            ["durationMs"] = result.DurationMs,
            ["detail"] = redactor.Redact(result.Detail),
            ["hint"] = result.Hint is null ? null : redactor.Redact(result.Hint),
            ["failure"] = result.FailureId,
        }));

        var report = new JObject
        {
            ["status"] = results.AnyFailed ? "failed" : "passed",
            ["target"] = target,
            ["startedAt"] = started.ToString("O"),
            ["durationMs"] = (long)duration.TotalMilliseconds,
            ["tlsVerification"] = insecure ? "skipped (--insecure)" : "verified",
            ["tasks"] = tasks,
            ["egress"] = new JObject
            {
                ["mode"] = egress.Mode.ToString().ToLowerInvariant(),
                ["destinations"] = new JArray(egress.Destinations.Select(record => new JObject
                {
                    ["origin"] = redactor.Redact(record.Origin),
                    ["allowed"] = record.Allowed,
                    ["blocked"] = record.Blocked,
                    ["requests"] = record.Requests,
                })),
            },
            ["warnings"] = new JArray(facts.Warnings.Select(redactor.Redact)),
            ["notes"] = new JArray(facts.Notes.Select(redactor.Redact)),
            ["workflowFindings"] = new JArray(facts.Findings.Select(finding => new JObject
            {
                ["path"] = finding.Path,
                ["line"] = finding.Line,
                ["severity"] = finding.Severity.ToString().ToLowerInvariant(),
                ["rule"] = finding.RuleId,
                ["message"] = redactor.Redact(finding.Message),
                ["fix"] = finding.Fix,
            })),
        };

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
                ["modelId"] = chat.ModelId is null ? null : redactor.Redact(chat.ModelId),
                ["modelApiBase"] = chat.ApiBaseHeaderSeen ? Redactor.Placeholder : null,
                ["streamed"] = chat.Streamed,
            };
        }

        return report;
    }

    public static void Write(string path, JObject report)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        File.WriteAllText(path, report.ToString(Formatting.Indented) + Environment.NewLine);
    }
}
