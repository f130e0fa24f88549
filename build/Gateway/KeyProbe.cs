using Build.Core;
using Build.Hardening;
using Newtonsoft.Json.Linq;

namespace Build.Gateway;

/// <summary>What KeyCheck learned: the key's facts when LiteLLM gave them, and the findings.</summary>
public sealed record KeyOutcome(string Detail, KeyInfo? Info, IReadOnlyList<KeyFinding> Findings);

/// <summary>The key could not be looked up, so nothing is known of it: KeyCheck's policy decides what that means.</summary>
public sealed class KeyUnverifiedException(string reason) : Exception(reason)
{
    public string Reason { get; } = reason;
}

/// <summary>
/// LiteLLM's self-lookup, <c>GET /key/info</c> with the key and no <c>key</c> parameter, and its answers
/// (BerriAI/litellm litellm/proxy/management_endpoints/key_management_endpoints.py info_key_fn;
/// litellm/proxy/auth/user_api_key_auth.py for the keys refused before it runs):
/// a virtual key: 200 <c>{"key", "info"}</c>; the master key: 404 not_found_error "Key not found in database"
/// (it authenticates, but is no row); no database: 500 "Database not connected"; an expired key: 400 (401 in
/// newer versions) expired_key; a key over its budget: 400 budget_exceeded. A 400 no_db_connection is raised
/// only after the master-key comparison failed (auth/user_api_key_auth.py): the key was refused.
/// Anything that gives no verdict on the key throws <see cref="KeyUnverifiedException"/>.
/// </summary>
public sealed class KeyProbe(GatewayClient client)
{
    public const string InfoPath = "/key/info";

    public async Task<KeyOutcome> RunAsync(DateTimeOffset now, int expiryWarnDays, CancellationToken cancellationToken)
    {
        GatewayResponse answer;
        try
        {
            answer = await client.GetAsync(InfoPath, withKey: true, RetryProfile.Once, cancellationToken);
        }
        catch (CheckFailedException transport) when (!cancellationToken.IsCancellationRequested)
        {
            throw new KeyUnverifiedException($"{InfoPath} could not be asked: {transport.Failure.Reason.TrimEnd('.')}");
        }

        if (answer.IsSuccess && !answer.TooLarge)
        {
            var info = KeyInfo.From((LenientJson.Parse(answer.Body) as JObject)?["info"]);
            if (info is null)
            {
                throw new KeyUnverifiedException($"{InfoPath} answered {answer.Code} without LiteLLM's info object");
            }

            return new KeyOutcome(KeyAudit.Describe(info), info, KeyAudit.Judge(info, now, expiryWarnDays));
        }

        var error = ErrorEnvelope.From(answer.Body);
        if (error?.Type == "expired_key" || (error?.Mentions("Expired Key") ?? false))
        {
            return Refused("the key has expired: LiteLLM refuses it",
                "create a new key (POST /key/generate with a duration) and update the LITELLM_API_KEY secret");
        }

        if (error?.Type == "budget_exceeded" || (error?.Mentions("Budget has been exceeded") ?? false))
        {
            return Refused("the key has spent its whole budget: LiteLLM refuses it",
                "raise max_budget (POST /key/update) or create a new key, and update the LITELLM_API_KEY secret");
        }

        return answer.Code switch
        {
            404 when error?.Type == "not_found_error" => Refused("the key is LiteLLM's master key (it authenticates but is no virtual " +
                "key): full admin in a CI secret", KeyAudit.ScopedKeyFix),
            >= 500 when error?.Mentions("Database not connected") ?? false => throw NoDatabase(),
            400 when error?.Type == "no_db_connection" => throw new CheckFailedException(Failure.Of(FailureClass.BadKey,
                $"{InfoPath}: LiteLLM refused the key (400 no_db_connection: it has no database, and the key is not its master key)")),
            // Every valid key may look itself up: a 401 here is the key refused, a 403 a key barred from this route.
            401 => throw new CheckFailedException(Failure.Of(FailureClass.BadKey,
                $"{InfoPath}: LiteLLM refused the key (401: {error?.ShortMessage ?? "no reason given"})")),
            403 => throw new KeyUnverifiedException($"{InfoPath} refused the lookup (403): {error?.ShortMessage ?? "no reason given"}"),
            404 => throw new KeyUnverifiedException($"{InfoPath} was not found (404): the gateway runs without virtual keys, or is not LiteLLM"),
            _ => throw new KeyUnverifiedException($"{InfoPath} answered {answer.Code}{(error is null ? string.Empty : $": {error.ShortMessage}")}"),
        };
    }

    /// <summary>No database, no virtual keys: the only key LiteLLM accepts is its master key.</summary>
    public static KeyUnverifiedException NoDatabase() =>
        new("LiteLLM runs without a database, so it has no virtual keys and the key that works can only be its master key");

    private static KeyOutcome Refused(string message, string fix) =>
        new(message, null, [new KeyFinding(Severity.Error, message, fix)]);
}
