using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Build.Hardening;

/// <summary>
/// Reads a file's YAML events once, without building anything, and says why it must not be loaded:
/// several documents (GitHub reads one), nesting deeper than <see cref="MaxDepth"/> (a stack overflow
/// in any recursive reader), a complex key (<c>? [a, b]</c>), a merge key (<c>&lt;&lt;: *x</c>), or aliases that would expand past
/// <see cref="MaxExpandedNodes"/> nodes ("billion laughs"). Only a file that passes is loaded.
/// </summary>
public static class YamlGuard
{
    public const int MaxDepth = 64;
    public const long MaxExpandedNodes = 200_000;

    public sealed record Problem(int Line, string Message);

    public static Problem? Check(string text) => Check(text, out _);

    /// <summary>Checks the text, and records where aliases are used (for findings reached through them).</summary>
    public static Problem? Check(string text, out AliasUses aliases)
    {
        aliases = new AliasUses();
        var parser = new Parser(new StringReader(text));
        var frames = new Stack<Frame>();
        var anchorWeights = new Dictionary<string, long>(StringComparer.Ordinal);
        var documents = 0;
        long total = 0;
        while (parser.MoveNext())
        {
            var current = parser.Current!;
            var line = (int)current.Start.Line;
            switch (current)
            {
                case DocumentStart:
                    if (++documents > 1)
                    {
                        return new Problem(line, "the file holds several YAML documents; GitHub reads a workflow as one");
                    }

                    break;
                case AnchorAlias alias:
                    var weight = anchorWeights.GetValueOrDefault(alias.Value.Value, 1);
                    if (IsKey(frames))
                    {
                        return new Problem(line, "an alias used as a mapping key");
                    }

                    if (frames.TryPeek(out var container))
                    {
                        aliases.Record(container.Start, container.IsMapping ? container.LastKey : null, container.IsMapping ? -1 : container.Children, line);
                    }

                    if (!Add(frames, weight, weight, ref total))
                    {
                        return new Problem(line, $"aliases expand past {MaxExpandedNodes:N0} nodes (a YAML bomb?)");
                    }

                    break;
                case Scalar scalar:
                    if (IsKey(frames))
                    {
                        // YAML 1.1's merge key: GitHub's workflow parser refuses it, so the workflow would not run.
                        if (scalar.Value == "<<" && scalar.Style == ScalarStyle.Plain)
                        {
                            return new Problem(line, "a YAML merge key (<<:), which GitHub Actions refuses (write the merged keys out)");
                        }

                        frames.Peek().LastKey = scalar.Value;
                    }

                    if (!Add(frames, 1, 1, ref total))
                    {
                        return new Problem(line, $"aliases expand past {MaxExpandedNodes:N0} nodes (a YAML bomb?)");
                    }

                    Remember(anchorWeights, scalar.Anchor, 1);
                    break;
                case MappingStart or SequenceStart:
                    if (IsKey(frames))
                    {
                        return new Problem(line, "a complex mapping key (a list or mapping used as a key); write plain keys");
                    }

                    var start = (NodeEvent)current;
                    frames.Push(new Frame(start.Anchor.IsEmpty ? null : start.Anchor.Value, current is MappingStart, current.Start.Index));
                    if (frames.Count > MaxDepth)
                    {
                        return new Problem(line, $"nested deeper than {MaxDepth} levels");
                    }

                    break;
                case MappingEnd or SequenceEnd:
                    var frame = frames.Pop();
                    var size = frame.Weight + 1;
                    if (!Add(frames, size, 1, ref total))
                    {
                        return new Problem(line, $"aliases expand past {MaxExpandedNodes:N0} nodes (a YAML bomb?)");
                    }

                    if (frame.Anchor is not null)
                    {
                        anchorWeights[frame.Anchor] = size;
                    }

                    break;
            }
        }

        return null;
    }

    private static bool IsKey(Stack<Frame> frames) => frames.TryPeek(out var frame) && frame.IsMapping && frame.Children % 2 == 0;

    /// <summary>Counts a finished child (<paramref name="weight"/> nodes once expanded) into its parent, and <paramref name="added"/> new nodes into
    /// the total.</summary>
    private static bool Add(Stack<Frame> frames, long weight, long added, ref long total)
    {
        total += added;
        if (frames.TryPeek(out var parent))
        {
            parent.Weight += weight;
            parent.Children++;
        }

        return total <= MaxExpandedNodes;
    }

    private static void Remember(Dictionary<string, long> weights, AnchorName anchor, long weight)
    {
        if (!anchor.IsEmpty)
        {
            weights[anchor.Value] = weight;
        }
    }

    private sealed class Frame(string? anchor, bool isMapping, long start)
    {
        public string? Anchor { get; } = anchor;

        public long Start { get; } = start;

        public string? LastKey { get; set; }

        public bool IsMapping { get; } = isMapping;

        public long Weight { get; set; }

        public int Children { get; set; }
    }
}

/// <summary>Where each alias is used: by the position of the mapping or sequence that holds it, and its key or index.</summary>
public sealed class AliasUses
{
    private readonly Dictionary<(long Container, string? Key, int Index), int> _lines = [];

    public void Record(long container, string? key, int index, int line) => _lines[(container, key, index)] = line;

    /// <summary>The line of the alias that stands at this key of the mapping starting at <paramref name="container"/>, if one does.</summary>
    public int? AtKey(long container, string key) => _lines.TryGetValue((container, key, -1), out var line) ? line : null;

    /// <summary>The line of the alias that stands at this index of the sequence starting at <paramref name="container"/>, if one does.</summary>
    public int? AtIndex(long container, int index) => _lines.TryGetValue((container, null, index), out var line) ? line : null;
}
