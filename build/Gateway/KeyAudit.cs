using System.Globalization;
using Build.Core;
using Build.Hardening;

namespace Build.Gateway;

/// <summary>One thing KeyCheck found about the key, with its fix.</summary>
public sealed record KeyFinding(Severity Severity, string Message, string Fix)
{
    public string OneLine => $"{Severity.ToString().ToLowerInvariant()}: {Message} — {Fix}";
}

/// <summary>Judges the key CI holds: who it is, when it expires, what it may spend and call.</summary>
public static class KeyAudit
{
    /// <summary>The call that creates a properly scoped CI key; placeholders only, never a real value.</summary>
    public const string ScopedKeyCall =
        "curl -sS -X POST \"$LITELLM_URL/key/generate\" -H \"Authorization: Bearer <master key>\" -H \"Content-Type: application/json\" "
        + "-d '{\"key_alias\": \"ci-smoke\", \"models\": [\"<smoke model>\"], \"max_budget\": 5, \"duration\": \"90d\", \"rpm_limit\": 10}'";

    public const string ScopedKeyFix = "store a virtual key scoped to the smoke models with a small budget as LITELLM_API_KEY: " + ScopedKeyCall;

    public static IReadOnlyList<KeyFinding> Judge(KeyInfo key, DateTimeOffset now, int expiryWarnDays)
    {
        var findings = new List<KeyFinding>();
        if (key.CanAdminister)
        {
            findings.Add(new(Severity.Error, "the key has the proxy admin's powers (it can mint keys, read spend and change models)", ScopedKeyFix));
        }

        if (key.Expires is { } expires)
        {
            var date = expires.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
            if (expires <= now)
            {
                findings.Add(new(Severity.Error, $"the key expired on {date}",
                    "create a new key (POST /key/generate with a duration) or extend it (POST /key/update), and update the LITELLM_API_KEY secret"));
            }
            else if (expires - now <= TimeSpan.FromDays(expiryWarnDays))
            {
                var days = (int)Math.Ceiling((expires - now).TotalDays);
                findings.Add(new(Severity.Warning, $"the key expires in {days} day(s), on {date}",
                    "rotate it before then: create a new key and update the LITELLM_API_KEY secret"));
            }
        }

        if (key.MaxBudget is not { } budget)
        {
            findings.Add(new(Severity.Warning, "the key has no budget: a runaway loop can spend without limit",
                "set one: POST /key/update with {\"key\": \"<key>\", \"max_budget\": 5}"));
        }
        else if (key.Spend >= budget)
        {
            findings.Add(new(Severity.Error, $"the key has spent {Money(key.Spend)} of its {Money(budget)} budget: calls are refused",
                "raise max_budget (POST /key/update) or reset the spend, or create a new key"));
        }
        else if (key.Spend >= budget * 0.8)
        {
            findings.Add(new(Severity.Warning,
                $"the key has spent {Money(key.Spend)} of its {Money(budget)} budget " +
                    $"({Math.Round(key.Spend / budget * 100).ToString(CultureInfo.InvariantCulture)}%)",
                    "raise max_budget (POST /key/update) before it runs out"));
        }

        if (key.AllModels)
        {
            findings.Add(new(Severity.Warning, "the key may call every model",
                "scope it to the smoke models: POST /key/update with {\"key\": \"<key>\", \"models\": [\"<smoke model>\"]}"));
        }

        return findings;
    }

    /// <summary>The facts, one line: alias, expiry, spend and budget, models, limits (never the key).</summary>
    public static string Describe(KeyInfo key)
    {
        var parts = new List<string>
        {
            $"alias {key.Alias ?? "(none)"}",
            key.Expires is { } expires ? $"expires {expires.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}" : "never expires",
            key.MaxBudget is { } budget ? $"spent {Money(key.Spend)} of {Money(budget)}" : $"spent {Money(key.Spend)}, no budget",
            key.AllModels
                ? "all models"
                : $"models {string.Join(", ", key.Models.Take(5))}{(key.Models.Count > 5 ? $" (+{key.Models.Count - 5})" : string.Empty)}",
            $"rpm {key.RpmLimit?.ToString(CultureInfo.InvariantCulture) ?? "unlimited"}, tpm " +
                $"{key.TpmLimit?.ToString(CultureInfo.InvariantCulture) ?? "unlimited"}",
        };
        return string.Join("; ", parts);
    }

    private static string Money(double amount) => amount.ToString("$0.00##", CultureInfo.InvariantCulture);
}
