using System.Text.RegularExpressions;

namespace Build.Hardening;

/// <summary>
/// What a <c>run:</c> script writes to <c>$GITHUB_OUTPUT</c> or <c>$GITHUB_ENV</c> (name=value lines, as GitHub's runner reads
/// them: actions/runner src/Runner.Worker/FileCommandManager.cs, <c>name=value</c> and <c>name&lt;&lt;DELIMITER</c>), and
/// the deprecated <c>::set-output name=…::</c> command. Read line by line; a value is the text after <c>name=</c> up to the
/// redirection, its quotes removed.
/// </summary>
internal static partial class ShellWrites
{
    public readonly record struct Write(string Name, string Value, string Line);

    public static IEnumerable<Write> Of(string script, string file)
    {
        if (!script.Contains(file, StringComparison.Ordinal) && !(file == "GITHUB_OUTPUT" && script.Contains("::set-output", StringComparison.Ordinal)))
        {
            yield break;
        }

        var lines = script.Split('\n');
        for (var index = 0; index < lines.Length; index++)
        {
            var line = lines[index];
            if (SetOutput().Match(line) is { Success: true } command && file == "GITHUB_OUTPUT")
            {
                yield return new Write(command.Groups["name"].Value, command.Groups["value"].Value.Trim().Trim('"', '\''), line);
                continue;
            }

            // A line that writes to another of the runner's files is not this one's; a line with no target may be
            // inside a group redirected as a whole ({ echo a=1; echo b=2; } >> "$GITHUB_OUTPUT").
            var targets = Target().Matches(line).Select(target => target.Value).ToList();
            if (!Writer().IsMatch(line) || (targets.Count > 0 && !targets.Contains(file)))
            {
                continue;
            }

            foreach (Match pair in Pair().Matches(line))
            {
                var name = pair.Groups["name"].Value;
                if (pair.Groups["heredoc"].Success)
                {
                    // name<<EOF: the value is every line up to the delimiter.
                    var delimiter = pair.Groups["heredoc"].Value;
                    var body = lines.Skip(index + 1).TakeWhile(next => !next.Contains(delimiter, StringComparison.Ordinal)).ToList();
                    yield return new Write(name, string.Join('\n', body), line);
                    continue;
                }

                var value = pair.Groups["value"].Value;
                var redirect = value.IndexOf(">>", StringComparison.Ordinal);
                value = (redirect >= 0 ? value[..redirect] : value).Trim();
                var pipe = value.IndexOf("| Out-File", StringComparison.OrdinalIgnoreCase);
                value = (pipe >= 0 ? value[..pipe] : value).Trim().TrimEnd('"', '\'').Trim();
                yield return new Write(name, value, line);
            }
        }
    }

    /// <summary>A line that prints something (echo, printf, a PowerShell string or Write-Output, Add-Content -Value).</summary>
    [GeneratedRegex(@"(?:^|[\s;&|({])(?:echo|printf|Write-Output|Add-Content|Set-Content|Out-File)\b|^\s*""", RegexOptions.IgnoreCase)]
    private static partial Regex Writer();

    [GeneratedRegex(@"(?<![\w$])(?<name>[A-Za-z_][\w\-]*)(?:<<\s*['""]?(?<heredoc>[A-Za-z_][\w]*)|=(?<value>[^\n]*))")]
    private static partial Regex Pair();

    [GeneratedRegex(@"GITHUB_(?:OUTPUT|ENV|PATH|STEP_SUMMARY|STATE)\b")]
    private static partial Regex Target();

    [GeneratedRegex(@"::set-output\s+name=(?<name>[\w\-]+)::(?<value>[^\n]*)")]
    private static partial Regex SetOutput();
}
