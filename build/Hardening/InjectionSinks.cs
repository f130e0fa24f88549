namespace Build.Hardening;

/// <summary>
/// Action inputs that are run as code or as a shell command, so an expression pasted into them is a
/// template injection like one in <c>run:</c>. Modelled on zizmor's template-injection sinks
/// (zizmorcore/zizmor crates/zizmor/src/audit/template_injection.rs and the CodeQL sink list it embeds).
/// </summary>
public static class InjectionSinks
{
    /// <summary>Action (owner/name, any ref) → its inputs that are code, and what becomes of them.</summary>
    public static readonly IReadOnlyDictionary<string, (string[] Inputs, string Reason)> Actions =
        new Dictionary<string, (string[], string)>(StringComparer.OrdinalIgnoreCase)
        {
            ["actions/github-script"] = (["script"], "run as JavaScript with the job's token"),
            ["amadevus/pwsh-script"] = (["script"], "run as PowerShell"),
            ["jannekem/run-python-script-action"] = (["script"], "run as Python"),
            ["cardinalby/js-eval-action"] = (["expression"], "evaluated as JavaScript"),
            ["addnab/docker-run-action"] = (["options", "run"], "passed to docker run, or run in the container's shell"),
            ["appleboy/ssh-action"] = (["script"], "run in a remote shell"),
            ["mikefarah/yq"] = (["cmd"], "run in a shell"),
        };

    /// <summary>The code inputs of the action a <c>uses:</c> names, if it is a sink.</summary>
    public static (string[] Inputs, string Reason)? Of(string uses)
    {
        var at = uses.IndexOf('@');
        var name = at < 0 ? uses : uses[..at];
        var parts = name.Split('/');
        var action = parts.Length >= 2 ? $"{parts[0]}/{parts[1]}" : name;
        return Actions.TryGetValue(action, out var sink) ? sink : null;
    }
}
