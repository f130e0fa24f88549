using System.Text;
using Build.Core;

namespace Build.Hardening;

/// <summary>
/// Remembers each file's findings between runs on one machine. Auditing a file is a pure function of the
/// program, the file's paths and its text, so an entry holds all of those and is used only when every one is
/// the same, compared in full (no hash can collide: a file crafted to collide cannot borrow another's findings).
/// The program is its module version id: a new build of the program starts afresh. Warm runs then skip parsing
/// YAML. Not used on CI, where a runner runs once; a cache that cannot be read or written is ignored (the
/// file is audited).
/// </summary>
public sealed class AuditCache(string directory, Guid programId)
{
    /// <summary>Entries kept; beyond that, the least recently written go (tests and scratch folders add entries).</summary>
    public const int MaxEntries = 128;

    private const string Format = "audit-cache 2";
    private const int MaxFieldLength = (int)WorkflowAudit.MaxFileBytes;

    /// <summary>The cache of this build of the program, beside it.</summary>
    public static AuditCache ForThisProgram() =>
        new(Path.Combine(AppContext.BaseDirectory, ".audit-cache"), typeof(AuditCache).Assembly.ManifestModule.ModuleVersionId);

    /// <summary>The findings for this text: remembered ones when every input is the same, else <paramref name="audit"/>'s, remembered.</summary>
    public IReadOnlyList<AuditFinding> GetOrAudit(string kind, string fullPath, string displayPath, string text, Func<string, string,
        IReadOnlyList<AuditFinding>> audit)
    {
        var entry = Path.Combine(directory, Name(kind, fullPath));
        string[] inputs = [programId.ToString("N"), kind, fullPath, displayPath, text];
        if (Read(entry, inputs) is { } remembered)
        {
            return remembered;
        }

        var findings = audit(displayPath, text);
        Write(entry, inputs, findings);
        return findings;
    }

    /// <summary>A stable file name per file audited (FNV-1a, 64 bits): a clash only costs a fresh audit, never a wrong answer.</summary>
    private static string Name(string kind, string fullPath)
    {
        var hash = 14695981039346656037UL;
        foreach (var character in $"{kind}\0{fullPath}")
        {
            hash = (hash ^ character) * 1099511628211UL;
        }

        return $"{hash:x16}.txt";
    }

    private static IReadOnlyList<AuditFinding>? Read(string entry, string[] inputs)
    {
        try
        {
            using var reader = new StreamReader(entry, Encoding.UTF8);
            if (reader.ReadLine() != Format)
            {
                return null;
            }

            foreach (var input in inputs)
            {
                if (ReadField(reader) != input)
                {
                    return null;
                }
            }

            if (!int.TryParse(reader.ReadLine(), out var count) || count is < 0 or > 100_000)
            {
                return null;
            }

            var findings = new List<AuditFinding>(count);
            for (var index = 0; index < count; index++)
            {
                var fields = new string[6];
                for (var field = 0; field < fields.Length; field++)
                {
                    fields[field] = ReadField(reader) ?? throw new InvalidDataException();
                }

                if (!int.TryParse(fields[1], out var line) || !Enum.TryParse<Severity>(fields[2], out var severity))
                {
                    return null;
                }

                findings.Add(new AuditFinding(fields[0], line, severity, fields[3], fields[4], fields[5]));
            }

            return reader.ReadLine() == "end" ? findings : null;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            return null;
        }
    }

    private void Write(string entry, string[] inputs, IReadOnlyList<AuditFinding> findings)
    {
        var text = new StringBuilder().Append(Format).Append('\n');
        foreach (var input in inputs)
        {
            AppendField(text, input);
        }

        text.Append(findings.Count).Append('\n');
        foreach (var finding in findings)
        {
            foreach (var field in new[] { finding.Path, finding.Line.ToString(System.Globalization.CultureInfo.InvariantCulture), finding.Severity.ToString(),
                finding.RuleId, finding.Message, finding.Fix })
            {
                AppendField(text, field);
            }
        }

        text.Append("end\n");
        try
        {
            Prune();
            OutputFile.WriteAllText(entry, text.ToString());
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Not remembered: the next run audits this file again.
        }
    }

    /// <summary>Length-prefixed: a field may hold any character, new lines included.</summary>
    private static void AppendField(StringBuilder text, string field) => text.Append(field.Length).Append(':').Append(field).Append('\n');

    private static string? ReadField(StreamReader reader)
    {
        var length = 0;
        int next;
        while ((next = reader.Read()) is >= '0' and <= '9')
        {
            length = (length * 10) + (next - '0');
            if (length > MaxFieldLength)
            {
                return null;
            }
        }

        if (next != ':')
        {
            return null;
        }

        var buffer = new char[length];
        if (reader.ReadBlock(buffer, 0, length) != length || reader.Read() != '\n')
        {
            return null;
        }

        return new string(buffer);
    }

    /// <summary>Keeps the folder under <see cref="MaxEntries"/>, dropping the entries written longest ago.</summary>
    private void Prune()
    {
        if (!System.IO.Directory.Exists(directory))
        {
            return;
        }

        var entries = new DirectoryInfo(directory).GetFiles("*.txt");
        if (entries.Length < MaxEntries)
        {
            return;
        }

        foreach (var stale in entries.OrderBy(file => file.LastWriteTimeUtc).Take(entries.Length - (MaxEntries / 2)))
        {
            stale.Delete();
        }
    }
}
