using System.Globalization;
using Newtonsoft.Json.Linq;

namespace Build.Gateway;

/// <summary>
/// What LiteLLM says about a virtual key: the <c>info</c> object of <c>GET /key/info</c>
/// (BerriAI/litellm litellm/proxy/management_endpoints/key_management_endpoints.py, info_key_fn: the key's
/// LiteLLM_VerificationToken row without its hashed token, with litellm_budget_table included). Never the
/// key itself, nor key_name (its abbreviation).
/// </summary>
public sealed record KeyInfo(
    string? Alias,
    DateTimeOffset? Expires,
    double Spend,
    double? MaxBudget,
    IReadOnlyList<string> Models,
    long? RpmLimit,
    long? TpmLimit,
    string? UserId,
    IReadOnlyList<string> AllowedRoutes)
{
    /// <summary>LiteLLM's LITELLM_PROXY_ADMIN_NAME (litellm/constants.py): the user the proxy admin acts as.</summary>
    public const string ProxyAdminUser = "default_user_id";

    public static KeyInfo? From(JToken? info)
    {
        if (info is not JObject)
        {
            return null;
        }

        // A budget attached by budget_id lives in litellm_budget_table; the key's own fields win.
        var budget = info["litellm_budget_table"] as JObject;
        return new KeyInfo(
            LenientJson.Text(info, "key_alias"),
            Instant(info["expires"]),
            Amount(info, "spend") ?? 0,
            Amount(info, "max_budget") ?? Amount(budget, "max_budget"),
            Strings(info["models"]),
            LenientJson.Number(info, "rpm_limit") ?? LenientJson.Number(budget, "rpm_limit"),
            LenientJson.Number(info, "tpm_limit") ?? LenientJson.Number(budget, "tpm_limit"),
            LenientJson.Text(info, "user_id"),
            Strings(info["allowed_routes"]));
    }

    /// <summary>An empty list, or LiteLLM's all-models names, lets the key call every model.</summary>
    public bool AllModels => Models.Count == 0 || Models.Any(model => model is "all-proxy-models" or "*");

    /// <summary>Owned by the proxy admin's user, or allowed LiteLLM's management routes (key_type management).</summary>
    public bool CanAdminister => UserId == ProxyAdminUser || AllowedRoutes.Contains("management_routes", StringComparer.Ordinal);

    private static DateTimeOffset? Instant(JToken? token) => token?.Type switch
    {
        JTokenType.Date => token.Value<DateTime>() is var date && date.Kind == DateTimeKind.Unspecified ? new DateTimeOffset(date, TimeSpan.Zero)
            : new DateTimeOffset(date.ToUniversalTime(), TimeSpan.Zero),
        JTokenType.String => DateTimeOffset.TryParse((string?)token, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) ? parsed
            : null,
        _ => null,
    };

    private static double? Amount(JToken? token, string name) =>
        double.TryParse(LenientJson.Text(token, name), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) ? value
            : null;

    private static List<string> Strings(JToken? token) =>
        token is JArray array ? array.Where(item => item.Type == JTokenType.String).Select(item => (string)item!).ToList() : [];
}
