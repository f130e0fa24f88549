using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;
using static Build.Hardening.WorkflowAudit;

namespace Build.Hardening;

/// <summary>
/// Steps that bring another run's artifact onto the runner, and whether its files land in the workspace. Under
/// <c>workflow_run</c> that other run is usually a pull request's, so its files are the pull request author's.
/// actions/download-artifact reads another run only with <c>run-id</c> (its action.yml from v4: without it, the
/// current run's artifacts); dawidd6/action-download-artifact always reads another run.
/// </summary>
internal static partial class Artifacts
{
    /// <summary>A step that downloads an artifact of another run (an action, a github-script API call, gh or curl).</summary>
    public static bool Downloads(YamlMappingNode step)
    {
        var uses = Text(Child(step, "uses"));
        var with = Child(step, "with");
        return (AuditRules.IsAction(uses, "actions/download-artifact") && Child(with, "run-id") is not null)
            || AuditRules.IsAction(uses, "dawidd6/action-download-artifact")
            || (AuditRules.IsAction(uses, "actions/github-script") && Text(Child(with, "script")) is { } script && ApiDownload().IsMatch(script))
            || (Text(Child(step, "run")) is { } run && (GhDownload().IsMatch(run) || ApiDownload().IsMatch(run)));
    }

    /// <summary>
    /// Where a step puts an artifact's files in the workspace: a download action without a path under runner.temp,
    /// <c>gh run download</c> without such a <c>--dir</c>, or an archive unpacked (unzip, tar) without a target there.
    /// Null when it puts nothing there.
    /// </summary>
    public static string? IntoWorkspace(YamlMappingNode step)
    {
        var uses = Text(Child(step, "uses"));
        if (AuditRules.IsAction(uses, "actions/download-artifact") || AuditRules.IsAction(uses, "dawidd6/action-download-artifact"))
        {
            var path = Text(Child(Child(step, "with"), "path"));
            return Downloads(step) && !UnderTemp(path) ? $"{uses!.Split('@')[0]} downloads into {(path is null ? "the workspace" : path)}" : null;
        }

        var run = Text(Child(step, "run")) ?? string.Empty;
        if (GhDownload().Match(run) is { Success: true } download && !UnderTemp(Option(download.Value, "-D", "--dir")))
        {
            return "gh run download writes into the workspace";
        }

        if (Unpack().Match(run) is { Success: true } unpack && !UnderTemp(Option(unpack.Value, "-d", "-C", "--directory")))
        {
            return $"`{unpack.Value.Trim()}` unpacks into the workspace";
        }

        return null;
    }

    /// <summary>True for a path under the runner's temporary folder, which no later step runs code from.</summary>
    private static bool UnderTemp(string? path) =>
        path is not null && TempPath().IsMatch(path.Trim().Trim('"', '\''));

    private static string? Option(string command, params string[] names)
    {
        foreach (var name in names)
        {
            var match = new Regex($@"(?:^|\s){Regex.Escape(name)}(?:=|\s+)(?<value>""[^""]*""|'[^']*'|\S+)").Match(command);
            if (match.Success)
            {
                return match.Groups["value"].Value;
            }
        }

        return null;
    }

    [GeneratedRegex(@"^(?:\$\{\{\s*runner\.temp\s*\}\}|\$\{?RUNNER_TEMP\}?|\$env:RUNNER_TEMP|/tmp/|/tmp$)", RegexOptions.IgnoreCase)]
    private static partial Regex TempPath();

    [GeneratedRegex(@"(?:^|[\s;&|(])gh\s+run\s+download\b[^\n;&|]*", RegexOptions.Multiline)]
    private static partial Regex GhDownload();

    [GeneratedRegex(@"downloadArtifact|/actions/artifacts/[^\s'""]*/zip|archive_download_url")]
    private static partial Regex ApiDownload();

    [GeneratedRegex(@"(?:^|[\s;&|(])(?:unzip|tar\s+-?[a-zA-Z]*x[a-zA-Z]*|7z\s+x|Expand-Archive)\b[^\n;&|]*", RegexOptions.Multiline)]
    private static partial Regex Unpack();
}
