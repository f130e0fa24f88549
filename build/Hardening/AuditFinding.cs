using Build.Core;

namespace Build.Hardening;

public sealed record WorkflowAuditResult(int Files, IReadOnlyList<AuditFinding> Findings);

/// <summary>One workflow finding, printed as <c>PATH:LINE: error RULE-ID: message — fix</c>.</summary>
public sealed record AuditFinding(string Path, int Line, Severity Severity, string RuleId, string Message, string Fix)
{
    public string OneLine => $"{Path}:{Line}: {Severity.ToString().ToLowerInvariant()} {RuleId}: {Message} — {Fix}";
}
