using Newtonsoft.Json.Linq;

namespace Build.Gateway;

/// <param name="Answer">The health path's body as it came, to tell a catch-all (the same body on every path) from a gateway.</param>
public sealed record HealthOutcome(string Detail, bool IsLiteLlm, string? LiteLlmVersion, string? Database, int? HealthyModels, int? UnhealthyModels,
    string? Answer = null);

/// <summary>
/// Asks the cheap health endpoints: the configured path (LiteLLM's liveliness by default), then
/// readiness for LiteLLM, and the expensive <c>/health</c> (calls every model) only when asked.
/// Passes on positive proof only: on LiteLLM's paths the answer is LiteLLM's (BerriAI/litellm
/// litellm/proxy/health_endpoints/_health_endpoints.py: liveliness returns the JSON string "I'm alive!";
/// readiness returns 200 with status "healthy" and db "connected", "disconnected" or "Not connected",
/// and 503 only when the handler itself fails).
/// </summary>
public sealed class HealthProbe(GatewayClient client)
{
    public const string LivelinessPath = "/health/liveliness";
    public const string ReadinessPath = "/health/readiness";
    public const string DeepPath = "/health";

    public async Task<HealthOutcome> RunAsync(string healthPath, bool deep, CancellationToken cancellationToken)
    {
        var isLiteLlmPath = healthPath is LivelinessPath or "/health/liveness" or ReadinessPath;
        var live = await client.GetAsync(healthPath, withKey: !isLiteLlmPath, RetryProfile.UntilReady, cancellationToken);
        if (!live.IsSuccess || live.TooLarge)
        {
            throw new CheckFailedException(StatusFailures.Classify(live, healthPath, keySent: !isLiteLlmPath && client.HasKey));
        }

        var body = LenientJson.Parse(live.Body);
        if ((body is null && live.Body.Trim().Length > 0) || live.LooksLikeHtml)
        {
            throw new CheckFailedException(Failure.Of(FailureClass.NotGateway, $"{healthPath} answered {live.Code} with a body that is not JSON"));
        }

        // LiteLLM's liveliness answers with a bare JSON string ("I'm alive!"); readiness with its version.
        var isLiteLlm = body?.Type == JTokenType.String
            || live.Header("x-litellm-version") is not null
            || (healthPath == ReadinessPath && LenientJson.Text(body, "litellm_version") is not null);
        if (isLiteLlmPath && !isLiteLlm)
        {
            var shape = body is null ? "an empty body" : body.Type == JTokenType.Object ? "a JSON object" : $"a JSON {body.Type.ToString().ToLowerInvariant()}";
            throw new CheckFailedException(Failure.Of(FailureClass.NotLiteLlm,
                $"{healthPath} answered {live.Code} with {shape} and no x-litellm-version header, not as LiteLLM answers"));
        }

        var detail = $"{healthPath} answered {live.Code} in {live.Elapsed.TotalMilliseconds:0} ms";
        string? version = live.Header("x-litellm-version");
        string? database = null;
        if (isLiteLlm)
        {
            (version, database, var note) = await ReadinessAsync(version, cancellationToken);
            detail += note;
        }

        int? healthy = null, unhealthy = null;
        if (deep)
        {
            (healthy, unhealthy) = await DeepAsync(cancellationToken);
            detail += $"; {healthy} model(s) healthy";
        }

        return new HealthOutcome(detail, isLiteLlm, version, database, healthy, unhealthy, live.Body);
    }

    /// <summary>LiteLLM's readiness statuses: "healthy" today; "connected" in early versions.</summary>
    private static readonly string[] HealthyStatuses = ["healthy", "connected"];

    /// <summary>Readiness: LiteLLM's version and database state; <paramref name="knownVersion"/> (liveliness's header) when it gives none.</summary>
    private async Task<(string? Version, string? Database, string Note)> ReadinessAsync(string? knownVersion, CancellationToken cancellationToken)
    {
        var ready = await client.GetAsync(ReadinessPath, withKey: false, RetryProfile.Once, cancellationToken);
        switch (ready.Code)
        {
            case >= 200 and < 300:
                var json = LenientJson.Parse(ready.Body) as JObject;
                var status = LenientJson.Text(json, "status");
                if (json is null || status is null)
                {
                    throw new CheckFailedException(Failure.Of(FailureClass.NotLiteLlm,
                        $"{ReadinessPath} answered {ready.Code} without LiteLLM's status field"));
                }

                var database = LenientJson.Text(json, "db");
                if (!HealthyStatuses.Contains(status, StringComparer.OrdinalIgnoreCase))
                {
                    throw new CheckFailedException(Failure.Of(FailureClass.NotReady,
                        $"{ReadinessPath} answered status \"{status}\"{(database is null ? string.Empty : $", database \"{database}\"")}"));
                }

                // "Not connected": no database configured (by design); "disconnected": configured and down.
                if (string.Equals(database, "disconnected", StringComparison.OrdinalIgnoreCase))
                {
                    throw new CheckFailedException(Failure.Of(FailureClass.NotReady,
                        $"{ReadinessPath}: the gateway's database is disconnected (virtual keys, budgets and spend cannot be checked)"));
                }

                var version = LenientJson.Text(json, "litellm_version") ?? ready.Header("x-litellm-version") ?? knownVersion;
                return (version, database, $"; LiteLLM {version ?? "(version not given)"}, database {database ?? "not reported"}");
            case >= 500:
                var reason = ErrorEnvelope.From(ready.Body)?.ShortMessage ?? StatusFailures.FirstLine(ready.Body);
                throw new CheckFailedException(Failure.Of(FailureClass.NotReady, $"{ReadinessPath} answered {ready.Code}: {reason}"));
            case 401 or 403:
                // Custom auth setups can guard readiness; liveliness already answered.
                return (knownVersion, null, $"; {ReadinessPath} needs a key here ({ready.Code}), not checked");
            default:
                return (knownVersion, null, $"; {ReadinessPath} answered {ready.Code}, not checked");
        }
    }

    private async Task<(int Healthy, int Unhealthy)> DeepAsync(CancellationToken cancellationToken)
    {
        var answer = await client.GetAsync(DeepPath, withKey: true, RetryProfile.Once, cancellationToken);
        if (!answer.IsSuccess)
        {
            throw new CheckFailedException(StatusFailures.Classify(answer, DeepPath, client.HasKey));
        }

        var json = LenientJson.Parse(answer.Body) as JObject;
        var healthyList = json?["healthy_endpoints"] as JArray;
        var unhealthyList = json?["unhealthy_endpoints"] as JArray;
        var healthy = (int?)LenientJson.Number(json, "healthy_count") ?? healthyList?.Count ?? 0;
        var unhealthy = (int?)LenientJson.Number(json, "unhealthy_count") ?? unhealthyList?.Count ?? 0;
        if (unhealthy > 0)
        {
            // Only model names: the endpoints' error texts can carry upstream hosts and keys.
            var names = unhealthyList?.Select(entry => LenientJson.Text(entry, "model")).Where(name => name is not null).Distinct().Take(10) ?? [];
            throw new CheckFailedException(Failure.Of(FailureClass.UnhealthyModels, $"{DeepPath}: {unhealthy} unhealthy model(s): {string.Join(", ", names)}"));
        }

        return (healthy, unhealthy);
    }
}
