using Build.Gateway;

namespace Build.Reporting;

/// <summary>What the checks learned about the gateway, for the report.</summary>
public sealed class RunFacts
{
    public HealthOutcome? Health { get; set; }

    public ChatOutcome? Chat { get; set; }

    public KeyOutcome? Key { get; set; }

    /// <summary>One result per model when ChatSmoke checked several (none for a single model).</summary>
    public List<ModelResult> Models { get; } = [];

    public List<string> Warnings { get; } = [];

    public List<Build.Hardening.AuditFinding> Findings { get; } = [];

    /// <summary>The profile Harden audited with; null when Harden did not audit.</summary>
    public string? HardenProfile { get; set; }

    public Build.Hardening.HardenRunnerState? HardenRunner { get; set; }

    public List<string> Notes { get; } = [];
}
