using Build.Core;

namespace Build.Hardening.Rules;

/// <summary>Reported while loading, before any hook can run: by <see cref="WorkflowAudit"/> and <see cref="YamlGuard"/>.</summary>
internal sealed class SyntaxRule : IAuditRule
{
    public AuditRule Rule { get; } = new(
        AuditRules.Syntax,
        Severity.Error,
        "a file that is not one readable workflow: does not parse, is empty or not a mapping, holds several documents, nests too deep, uses complex keys, " +
            "merge keys (`<<:`, which GitHub refuses) or aliases that expand too far; a symlink or other non-regular file is skipped with a warning",
        "Workflow file that cannot be read as one workflow");
}
