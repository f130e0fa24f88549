using System.Text;
using System.Text.RegularExpressions;

namespace Build.Security;

/// <summary>
/// The one redaction point: everything that leaves the process (console, report, step summary,
/// annotations, any file) passes through <see cref="Redact"/>. First it normalises (<see cref="Normalise"/>:
/// terminal escape sequences, control characters and invisible Unicode format characters go, so a key
/// hidden between them is whole again), then it replaces, in this order:
/// <list type="number">
/// <item>infrastructure values (hosts, URLs, addresses) and the encoded forms of keys, exactly, longest first;</item>
/// <item>abbreviations of a key (<c>sk-CAN...91x7</c>, <c>sk-CANARY-****</c>);</item>
/// <item>any run of <see cref="KeyRun"/> or more consecutive characters of a key, also across a line break;</item>
/// </list>
/// then cuts the gateway texts marked by <see cref="Cut"/> (after redacting, so a cut never leaves a
/// fragment behind). Escaping for the target (Markdown, XML, JSON) is each writer's, after this.
/// </summary>
public sealed partial class Redactor
{
    /// <summary>What a masked value becomes; the same as GitHub's own mask, which Markdown keeps.</summary>
    public const string Placeholder = "***";

    /// <summary>No run this long of a key's characters may appear in any output.</summary>
    public const int KeyRun = 8;

    /// <summary>Gateway text shown in a detail line is cut to this many characters, after redaction.</summary>
    public const int CutLength = 160;

    // Shorter values than this would turn ordinary words and numbers into placeholders.
    private const int MinimumLength = 3;

    // Marks text from outside (a gateway's message) to be cut after redaction: see Cut.
    private const char CutStart = '\u0002';
    private const char CutEnd = '\u0003';

    private readonly List<string> _exact = [];
    private readonly List<string> _keys = [];
    private readonly HashSet<string> _keyRuns = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>Marks text from outside to be cut to <see cref="CutLength"/> characters once it is redacted.</summary>
    public static string Cut(string text) => $"{CutStart}{text.Replace(CutStart, ' ').Replace(CutEnd, ' ')}{CutEnd}";

    /// <summary>An infrastructure value (host, URL, address, name): replaced where it appears whole.</summary>
    public void Add(string? secret)
    {
        if (string.IsNullOrEmpty(secret) || secret.Length < MinimumLength)
        {
            return;
        }

        lock (_lock)
        {
            AddExact(secret);
        }
    }

    /// <summary>A key or token: replaced whole, in its encoded forms, abbreviated, and as any run of 8 of its characters.</summary>
    public void AddKey(string? key)
    {
        if (string.IsNullOrEmpty(key) || key.Length < MinimumLength)
        {
            return;
        }

        lock (_lock)
        {
            AddExact(key);
            if (_keys.Contains(key, StringComparer.Ordinal))
            {
                return;
            }

            _keys.Add(key);
            foreach (var encoded in KeyEncodings.Of(key))
            {
                AddExact(encoded);
            }

            var lower = key.ToLowerInvariant();
            for (var start = 0; start + KeyRun <= lower.Length; start++)
            {
                _keyRuns.Add(lower.Substring(start, KeyRun));
            }
        }
    }

    public string Redact(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? string.Empty;
        }

        text = Normalise(text);
        lock (_lock)
        {
            foreach (var secret in _exact)
            {
                text = text.Replace(secret, Placeholder, StringComparison.OrdinalIgnoreCase);
            }

            text = RedactAbbreviations(text);
            text = RedactKeyRuns(text);
        }

        return ApplyCuts(text);
    }

    /// <summary>Callers have checked the length: every value here is at least <see cref="MinimumLength"/> long.</summary>
    private void AddExact(string value)
    {
        if (!_exact.Contains(value, StringComparer.Ordinal))
        {
            _exact.Add(value);
            _exact.Sort((left, right) => right.Length.CompareTo(left.Length));
        }
    }

    /// <summary>A prefix of a key (4+ characters) or a suffix (4+), joined to "...", "…" or "***": the usual ways to abbreviate a key.</summary>
    private string RedactAbbreviations(string text)
    {
        if (_keys.Count == 0)
        {
            return text;
        }

        if (!text.Contains("...", StringComparison.Ordinal) && !text.Contains('…') && !text.Contains("***", StringComparison.Ordinal))
        {
            return text;
        }

        return Ellipsis().Replace(text, match =>
        {
            var before = match.Groups["before"].Value;
            var after = match.Groups["after"].Value;
            var prefix = _keys.Max(key => LongestKeyPrefixEnding(before, key));
            var suffix = _keys.Max(key => LongestKeySuffixStarting(after, key));
            if (prefix < 4 && suffix < 4)
            {
                return match.Value;
            }

            return before[..^prefix] + Placeholder + after[suffix..];
        });
    }

    private static int LongestKeyPrefixEnding(string before, string key)
    {
        for (var length = Math.Min(before.Length, key.Length); length >= 4; length--)
        {
            if (before.AsSpan(before.Length - length).Equals(key.AsSpan(0, length), StringComparison.OrdinalIgnoreCase))
            {
                return length;
            }
        }

        return 0;
    }

    private static int LongestKeySuffixStarting(string after, string key)
    {
        for (var length = Math.Min(after.Length, key.Length); length >= 4; length--)
        {
            if (after.AsSpan(0, length).Equals(key.AsSpan(key.Length - length), StringComparison.OrdinalIgnoreCase))
            {
                return length;
            }
        }

        return 0;
    }

    /// <summary>Every run of 8+ characters of a key, ignoring line breaks inside it, becomes one placeholder.</summary>
    private string RedactKeyRuns(string text)
    {
        if (_keyRuns.Count == 0 || text.Length < KeyRun)
        {
            return text;
        }

        // A view of the text without line breaks, lower-cased, with each character's place in the text.
        var compact = new char[text.Length];
        var place = new int[text.Length];
        var count = 0;
        for (var index = 0; index < text.Length; index++)
        {
            if (text[index] is not ('\r' or '\n'))
            {
                compact[count] = char.ToLowerInvariant(text[index]);
                place[count++] = index;
            }
        }

        var lookup = _keyRuns.GetAlternateLookup<ReadOnlySpan<char>>();
        bool[]? masked = null;
        for (var start = 0; start + KeyRun <= count; start++)
        {
            if (lookup.Contains(compact.AsSpan(start, KeyRun)))
            {
                masked ??= new bool[text.Length];
                for (var index = place[start]; index <= place[start + KeyRun - 1]; index++)
                {
                    masked[index] = true;
                }
            }
        }

        if (masked is null)
        {
            return text;
        }

        var result = new StringBuilder(text.Length);
        for (var index = 0; index < text.Length; index++)
        {
            if (!masked[index])
            {
                result.Append(text[index]);
            }
            else if (index == 0 || !masked[index - 1])
            {
                result.Append(Placeholder);
            }
        }

        return result.ToString();
    }

    private static string ApplyCuts(string text)
    {
        if (!text.Contains(CutStart, StringComparison.Ordinal))
        {
            return text.Replace(CutEnd.ToString(), string.Empty, StringComparison.Ordinal);
        }

        return CutMarks().Replace(text, match =>
        {
            var inner = match.Groups["text"].Value;
            return inner.Length <= CutLength ? inner : inner[..(CutLength - 3)] + "...";
        }).Replace(CutEnd.ToString(), string.Empty, StringComparison.Ordinal);
    }

    /// <summary>
    /// What a person reading the text would see: terminal escape sequences (CSI, OSC and two-character ESC
    /// forms), every C0 and C1 control character but tab and line breaks, and Unicode format characters
    /// (zero-width spaces and joiners, bidi overrides and isolates, the byte-order mark, the soft hyphen) are
    /// removed. <see cref="Cut"/>'s two marks are kept for the cut that follows redaction.
    /// </summary>
    public static string Normalise(string text)
    {
        if (!text.EnumerateRunes().Any(NeedsNormalising))
        {
            return text;
        }

        text = EscapeSequence().Replace(text, string.Empty);
        var result = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            if (!NeedsNormalising(rune) || rune.Value is CutStart or CutEnd)
            {
                result.Append(rune.ToString());
            }
        }

        return result.ToString();
    }

    /// <summary>Controls but tab and line breaks, and format characters, also beyond the first plane (tag characters).</summary>
    private static bool NeedsNormalising(Rune rune) =>
        (Rune.IsControl(rune) && rune.Value is not ('\n' or '\r' or '\t'))
        || Rune.GetUnicodeCategory(rune) == System.Globalization.UnicodeCategory.Format;

    [GeneratedRegex(@"(?<before>[^\s""'`*.…]{0,200})(?:\.{3,}|…|\*{3,})(?<after>[^\s""'`*.…]{0,200})")]
    private static partial Regex Ellipsis();

    [GeneratedRegex("\u0002(?<text>[^\u0002\u0003]*)\u0003?")]
    private static partial Regex CutMarks();

    // ESC [ … final byte (CSI), ESC ] … BEL or ESC \ (OSC), C1 CSI, and the other ESC forms (ECMA-48: intermediates, then one final byte).
    [GeneratedRegex(@"\u001B\[[0-?]*[ -/]*[@-~]|\u001B\][^\u0007\u001B]*(?:\u0007|\u001B\\)?|\u009B[0-?]*[ -/]*[@-~]|\u001B[ -/]*[0-~]")]
    private static partial Regex EscapeSequence();
}
