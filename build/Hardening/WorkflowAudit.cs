using System.Text.RegularExpressions;
using Build.Core;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Build.Hardening;

/// <summary>
/// Audits GitHub workflow files and composite actions for the risks the well-known auditors check
/// (zizmor, actionlint, Scorecard) plus the project's own: harden-runner first in every job, in the
/// mode the job can hold. No file can crash, hang or void the audit: each is checked by
/// <see cref="YamlGuard"/> before it is loaded, and one file's problem is that file's finding.
/// </summary>
public static partial class WorkflowAudit
{
    /// <summary>Larger files are not read (GitHub's own limit for a workflow is far below).</summary>
    public const long MaxFileBytes = 16L * 1024 * 1024;

    private static readonly string[] SkippedFolders = [".git", "bin", "obj", "node_modules", "artifacts", ".benchmark"];

    /// <summary>Audits the workflow files of a folder and the composite actions of the repository.</summary>
    public static WorkflowAuditResult AuditDirectory(string directory, string displayRoot, string? actionsRoot = null, AuditCache? cache = null,
        AuditProfile? profile = null)
    {
        profile ??= AuditProfile.Project;
        var audit = (Func<string, string, IReadOnlyList<AuditFinding>>)((path, text) => AuditFile(path, text, profile));
        var auditAction = (Func<string, string, IReadOnlyList<AuditFinding>>)((path, text) => AuditAction(path, text, profile));
        var findings = new List<AuditFinding>();
        var files = 0;
        if (Directory.Exists(directory))
        {
            foreach (var entry in new DirectoryInfo(directory).EnumerateFileSystemInfos().OrderBy(entry => entry.Name, StringComparer.Ordinal))
            {
                if (entry.Name.EndsWith(".yml", StringComparison.OrdinalIgnoreCase) || entry.Name.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase))
                {
                    files++;
                    findings.AddRange(AuditEntry(entry, displayRoot, $"workflow:{profile.Name}", audit, cache));
                }
            }
        }

        foreach (var action in ActionFiles(actionsRoot, directory))
        {
            files++;
            findings.AddRange(AuditEntry(action, displayRoot, $"action:{profile.Name}", auditAction, cache));
        }

        return new WorkflowAuditResult(files, findings);
    }

    /// <summary>action.yml and action.yaml files under the repository (and the audited folder), skipping build output.</summary>
    public static IEnumerable<FileSystemInfo> ActionFiles(string? root, string workflows)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var start in new[] { root, workflows }.OfType<string>().Where(Directory.Exists))
        {
            var pending = new Stack<(DirectoryInfo Folder, int Depth)>([(new DirectoryInfo(start), 0)]);
            while (pending.Count > 0)
            {
                var (folder, depth) = pending.Pop();
                foreach (var entry in EntriesOf(folder))
                {
                    if (entry is DirectoryInfo sub && entry.LinkTarget is null && depth < 8 && !SkippedFolders.Contains(entry.Name, StringComparer.Ordinal))
                    {
                        pending.Push((sub, depth + 1));
                    }
                    else if (entry.Name is "action.yml" or "action.yaml" && seen.Add(entry.FullName))
                    {
                        yield return entry;
                    }
                }
            }
        }
    }

    /// <summary>A folder's entries in a stable order; none when it cannot be read.</summary>
    private static List<FileSystemInfo> EntriesOf(DirectoryInfo folder)
    {
        try
        {
            return folder.EnumerateFileSystemInfos().OrderBy(entry => entry.Name, StringComparer.Ordinal).ToList();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>A symlink, pipe or device is never opened; anything that goes wrong is this file's finding.</summary>
    private static IReadOnlyList<AuditFinding> AuditEntry(FileSystemInfo entry, string displayRoot, string kind, Func<string, string,
        IReadOnlyList<AuditFinding>> audit, AuditCache? cache)
    {
        var path = DisplayPath(entry.FullName, displayRoot);
        if (entry.LinkTarget is not null)
        {
            return [new AuditFinding(path, 1, Severity.Warning, AuditRules.Syntax, "a symbolic link: skipped, not followed",
                "commit the workflow itself in .github/workflows")];
        }

        // .NET does not tell a pipe or device from a file, but stat gives them no size; an empty file is no workflow either.
        if (entry is not FileInfo { Exists: true } file || file.Length == 0)
        {
            return [new AuditFinding(path, 1, Severity.Error, AuditRules.Syntax, "empty, or not a regular file (not opened)",
                "write the workflow as a YAML mapping with on: and jobs:")];
        }

        if (file.Length > MaxFileBytes)
        {
            return [new AuditFinding(path, 1, Severity.Error, AuditRules.Syntax, $"larger than {MaxFileBytes / 1024 / 1024} MiB: not read",
                "split the workflow; no real workflow is this large")];
        }

        try
        {
            var text = File.ReadAllText(file.FullName);
            return cache is null ? audit(path, text) : cache.GetOrAudit(kind, file.FullName, path, text, audit);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return [new AuditFinding(path, 1, Severity.Error, AuditRules.Syntax, "could not be read", "check the file's permissions")];
        }
    }

    /// <summary>Relative to the repository when inside it (as GitHub annotations want), else absolute.</summary>
    private static string DisplayPath(string path, string root)
    {
        var relative = Path.GetRelativePath(root, path);
        return (relative.StartsWith("..", StringComparison.Ordinal) ? Path.GetFullPath(path) : relative).Replace('\\', '/');
    }

    public static IReadOnlyList<AuditFinding> AuditFile(string path, string text, AuditProfile? profile = null) =>
        Audit(path, text, profile ?? AuditProfile.Project, Rules.WorkflowWalk.Workflow);

    /// <summary>A composite action (action.yml): the step rules apply to its <c>runs.steps</c>.</summary>
    public static IReadOnlyList<AuditFinding> AuditAction(string path, string text, AuditProfile? profile = null) =>
        Audit(path, text, profile ?? AuditProfile.Project, Rules.WorkflowWalk.Action);

    private static IReadOnlyList<AuditFinding> Audit(string path, string text, AuditProfile profile, Action<FileContext, YamlMappingNode> checks)
    {
        var findings = new List<AuditFinding>();
        var context = new FileContext(path, text, findings, profile);
        try
        {
            if (YamlGuard.Check(text, out var aliases) is { } problem)
            {
                context.Error(problem.Line, AuditRules.Syntax, problem.Message, "write the workflow as one plain YAML document");
                return findings;
            }

            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
            {
                context.Error(1, AuditRules.Syntax, "not a workflow (no top-level mapping)", "write the workflow as a YAML mapping with on: and jobs:");
                return findings;
            }

            context.Aliases = aliases;
            checks(context, root);
        }
        catch (YamlException exception)
        {
            findings.Clear();
            context.Error(Math.Max(1, (int)exception.Start.Line), AuditRules.Syntax, "the YAML does not parse", "correct the YAML syntax at this line");
        }
        catch (Exception exception) when (exception is InvalidOperationException or InvalidCastException or ArgumentException or FormatException
            or InsufficientExecutionStackException)
        {
            // A shape no workflow has (YamlDotNet reports some malformed input without a position).
            findings.Clear();
            context.Error(1, AuditRules.Syntax, "the YAML could not be read as a workflow", "correct the file's structure");
        }

        return findings.OrderBy(finding => finding.Line).ThenBy(finding => finding.RuleId, StringComparer.Ordinal).ToList();
    }

    internal static YamlNode? Child(YamlNode? node, string key) =>
        node is YamlMappingNode mapping && mapping.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    internal static string? Text(YamlNode? node) => (node as YamlScalarNode)?.Value;

    internal static IEnumerable<(YamlScalarNode Key, YamlNode Value)> Pairs(YamlNode? node) =>
        node is YamlMappingNode mapping
            ? mapping.Children.Where(pair => pair.Key is YamlScalarNode).Select(pair => ((YamlScalarNode)pair.Key, pair.Value))
            : [];

    [GeneratedRegex("^[0-9a-f]{40}$")]
    internal static partial Regex PinnedCommit();

    /// <summary>Where findings go, and how to find the line of text inside a node.</summary>
    internal sealed class FileContext(string path, string text, List<AuditFinding> findings, AuditProfile profile)
    {
        public string Path => path;

        public AuditProfile Profile => profile;

        /// <summary>Where aliases are used: a finding reached through one is reported there, not at its anchor.</summary>
        public AliasUses Aliases { get; set; } = new();

        public void Error(YamlNode node, string rule, string message, string fix) => Add((int)node.Start.Line, Severity.Error, rule, message, fix);

        public void Error(int line, string rule, string message, string fix) => Add(line, Severity.Error, rule, message, fix);

        public void Warning(YamlNode node, string rule, string message, string fix) => Add((int)node.Start.Line, Severity.Warning, rule, message, fix);

        public void Warning(int line, string rule, string message, string fix) => Add(line, Severity.Warning, rule, message, fix);

        public void Add(int line, Severity severity, string rule, string message, string fix)
        {
            if (profile.Applies(rule))
            {
                findings.Add(new AuditFinding(path, line, severity, rule, message, fix));
            }
        }

        /// <summary>
        /// The line of an expression inside a scalar, found in the file's own text between the node's
        /// start and end, so that folded (&gt;) and literal (|) blocks give the expression's real line.
        /// </summary>
        public int LineOf(YamlScalarNode node, string expression, ref int searchFrom)
        {
            var start = (int)Math.Clamp(node.Start.Index, 0, text.Length);
            var end = (int)Math.Clamp(node.End.Index, start, text.Length);
            var from = Math.Max(start, searchFrom);

            // A block scalar's value is de-indented, so an expression spanning lines differs from the
            // file's text after its first line: look for that first line.
            var needle = expression.Split('\n')[0];
            var found = from < end ? text.IndexOf(needle, from, end - from, StringComparison.Ordinal) : -1;
            if (found < 0 && from < end)
            {
                // A folded (>) scalar turns line breaks into spaces: the file has a line break and indentation
                // wherever the value has a space. Match the expression with any whitespace between its words.
                var words = expression.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Select(System.Text.RegularExpressions.Regex.Escape);
                var match = new System.Text.RegularExpressions.Regex(string.Join(@"\s+", words)).Match(text, from, end - from);
                (found, needle) = match.Success ? (match.Index, match.Value) : (-1, needle);
            }

            if (found < 0)
            {
                return (int)node.Start.Line;
            }

            searchFrom = found + needle.Length;
            _lineStarts ??= LineStarts(text);
            var index = _lineStarts.BinarySearch(found);
            return (index >= 0 ? index : ~index - 1) + 1;
        }

        private List<int>? _lineStarts;

        private static List<int> LineStarts(string text)
        {
            var starts = new List<int> { 0 };
            for (var index = 0; index < text.Length; index++)
            {
                if (text[index] == '\n')
                {
                    starts.Add(index + 1);
                }
            }

            return starts;
        }
    }
}
