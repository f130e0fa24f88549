namespace Build.Hardening.Rules;

/// <summary>
/// One audit rule, in its own file: its metadata (id, usual severity, what it flags, a title: the docs table and SARIF come
/// from it) and the hooks it needs. <see cref="WorkflowWalk"/> calls every rule of <see cref="AuditRuleRegistry"/> on each
/// workflow, job and step (and on composite actions). Rules keep no state between calls: what they share is in the scopes.
/// </summary>
internal interface IAuditRule
{
    AuditRule Rule { get; }

    /// <summary>Once per workflow file, before its jobs.</summary>
    void OnWorkflow(WorkflowScope workflow)
    {
    }

    /// <summary>Once per composite action (action.yml), before its steps.</summary>
    void OnAction(WorkflowScope action)
    {
    }

    void OnJob(JobScope job)
    {
    }

    /// <summary>Every step that runs code, of a workflow's jobs (parallel groups opened) or of a composite action.</summary>
    void OnStep(StepScope step)
    {
    }
}
