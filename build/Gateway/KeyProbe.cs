using Build.Hardening;
using Newtonsoft.Json.Linq;

namespace Build.Gateway;

/// <summary>What KeyCheck learned: the key's facts when LiteLLM gave them, and the findings.</summary>
public sealed record KeyOutcome(string Detail, KeyInfo? Info, IReadOnlyList<KeyFinding> Findings);

/// <summary>
/// LiteLLM's self-lookup, <c>GET /key/info</c> with the key and no <c>key</c> parameter, and its answers
/// (BerriAI/litellm litellm/proxy/management_endpoints/key_management_endpoints.py info_key_fn;
/// litellm/proxy/auth/user_api_key_auth.py for the keys refused before it runs):
/// a virtual key: 200 <c>{"key", "info"}</c>; the master key: 404 not_found_error "Key not found in database"
/// (it authenticates, but is no row); no database: 500 "Database not connected"; an expired key: 400 (401 in
/// newer versions) expired_key; a key over its budget: 400 budget_exceeded.
/// </summary>
public sealed class KeyProbe(GatewayClient client)
{
    public const string InfoPath = "/key/info";

    public async Task<KeyOutcome> RunAsync(DateTimeOffset now, int expiryWarnDays, CancellationToken cancellationToken)
    {
        var answer = await client.GetAsync(InfoPath, withKey: true, RetryProfile.Once, cancellationToken);
        if (answer.IsSuccess && !answer.TooLarge)
        {
            var info = KeyInfo.From((LenientJson.Parse(answer.Body) as JObject)?["info"]);
            if (info is null)
            {
                throw new CheckSkippedException($"{InfoPath} answered {answer.Code} without LiteLLM's info object: not a LiteLLM key lookup");
            }

            return new KeyOutcome(KeyAudit.Describe(info), info, KeyAudit.Judge(info, now, expiryWarnDays));
        }

        var error = ErrorEnvelope.From(answer.Body);
        if (error?.Type == "expired_key" || (error?.Mentions("Expired Key") ?? false))
        {
            return Refused("the key has expired: LiteLLM refuses it", "create a new key (POST /key/generate with a duration) and update the LITELLM_API_KEY secret");
        }

        if (error?.Type == "budget_exceeded" || (error?.Mentions("Budget has been exceeded") ?? false))
        {
            return Refused("the key has spent its whole budget: LiteLLM refuses it", "raise max_budget (POST /key/update) or create a new key, and update the LITELLM_API_KEY secret");
        }

        return answer.Code switch
        {
            404 when error?.Type == "not_found_error" => Refused("the key is LiteLLM's master key (it authenticates but is no virtual key): full admin in a CI secret", KeyAudit.ScopedKeyFix),
            >= 500 when error?.Mentions("Database not connected") ?? false => throw NoDatabase(),
            400 when error?.Type == "no_db_connection" => throw NoDatabase(),
            401 or 403 => throw new CheckSkippedException($"{InfoPath} refused the lookup ({answer.Code}): {error?.ShortMessage ?? "no reason given"}"),
            404 => throw new CheckSkippedException($"{InfoPath} was not found (404): the gateway is not LiteLLM, or runs without virtual keys"),
            _ => throw new CheckSkippedException($"{InfoPath} answered {answer.Code}{(error is null ? string.Empty : $": {error.ShortMessage}")}"),
        };
    }

    /// <summary>No database, no virtual keys: the only key LiteLLM accepts is its master key.</summary>
    public static CheckSkippedException NoDatabase() =>
        new("LiteLLM runs without a database, so there are no virtual keys and the key in use is the master key; connect a database and store a scoped virtual key");

    private static KeyOutcome Refused(string message, string fix) =>
        new(message, null, [new KeyFinding(Severity.Error, message, fix)]);
}
