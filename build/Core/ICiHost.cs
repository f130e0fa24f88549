namespace Build.Core;

/// <summary>
/// The CI service a run reports to: masks (registered before the first output), log groups, annotations. GitHub Actions
/// is <c>Security/WorkflowCommands</c> (its step summary file is the GITHUB_STEP_SUMMARY setting); another host would
/// implement this beside it and be chosen where <c>BuildContext</c> builds its <c>Commands</c>. Off CI, nothing is printed.
/// </summary>
public interface ICiHost
{
    /// <summary>False off CI: every call prints nothing.</summary>
    bool Enabled { get; }

    void AddMask(string? value);

    void StartGroup(string title);

    void EndGroup();

    /// <summary>An error or warning attached to a file and line where the host shows them.</summary>
    void Annotation(string level, string message, string? title = null, string? file = null, int? line = null);
}
