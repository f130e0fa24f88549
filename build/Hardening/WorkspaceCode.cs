using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;
using static Build.Hardening.WorkflowAudit;

namespace Build.Hardening;

/// <summary>
/// Steps that run code from the workspace (a build, a script, a package install, a local action), and scripts that
/// fetch a pull request's head without actions/checkout (<c>gh pr checkout</c>, <c>git fetch … pull/N/head</c>).
/// </summary>
internal static partial class WorkspaceCode
{
    /// <summary>What in the step runs code from the workspace, or null when nothing visibly does.</summary>
    public static string? RunBy(YamlMappingNode step)
    {
        if (Text(Child(step, "uses")) is { } uses)
        {
            if (uses.StartsWith("./", StringComparison.Ordinal))
            {
                return $"the local action {uses}";
            }

            return AuditRules.IsAction(uses, "actions/github-script") && Text(Child(Child(step, "with"),
                "script")) is { } script && LocalRequire().Match(script) is { Success: true } require
                ? $"`{require.Value.Trim()}`"
                : null;
        }

        return Text(Child(step, "run")) is { } run && Command().Match(run) is { Success: true } command ? $"`{command.Value.Trim()}`" : null;
    }

    /// <summary>A command in the script that fetches or checks out a pull request's head, or null.</summary>
    public static string? FetchesPullRequest(string script) =>
        PullRequestFetch().Match(script) is { Success: true } fetch ? fetch.Value.Trim() : null;

    [GeneratedRegex(@"(?:^|[\s;&|(])(?:(?:npm|pnpm)\s+(?:ci|install|i|run|test|start|exec|rebuild)\b|yarn(?:\s+(?:install|run|build|test)\b|\s*$)|npx\s|make\b|"
        + @"\./[\w./-]+|(?:ba|z)?sh\s+[\w./-]+\.sh\b|python3?\s+(?:-m\s+\w+|[\w./-]+\.py)|pip3?\s+install\s+(?:-e\s|\.|-r\s)|node\s+[\w./-]+|"
        + @"go\s+(?:build|test|run|generate)\b|cargo\s+(?:build|test|run)\b|mvn\b|\./gradlew\b|gradle\b|dotnet\s+(?:build|test|run|restore|pack|"
        + @"publish)\b|bundle\s+(?:install|exec)\b|rake\b|pytest\b|tox\b|composer\s+install\b|source\s+\S|\.\s+[\w./-]+|pwsh\s+[\w./-]+\.ps1)",
        RegexOptions.Multiline)]
    private static partial Regex Command();

    [GeneratedRegex(@"require\(\s*[`'""](?:\./|\.\./|\$\{\s*process\.env\.GITHUB_WORKSPACE)[^)]*\)")]
    private static partial Regex LocalRequire();

    [GeneratedRegex(@"(?:^|[\s;&|(])(?:(?:gh|hub)\s+pr\s+checkout\b[^\n;&|]*|git\s+(?:fetch|pull)\b[^\n;&|]*(?:pull/[^/\n]+?/(?:head|merge)|refs/pull/)[^\n;&|"
        + @"]*)", RegexOptions.Multiline)]
    private static partial Regex PullRequestFetch();
}
