using Spectre.Console.Cli;

namespace Cake.Frosting.Internal;

/// <summary>The arguments no host option claimed, as Spectre.Console.Cli hands them over (keyed by "--name").</summary>
internal sealed class RemainingArguments(IEnumerable<KeyValuePair<string, string>> parsed) : IRemainingArguments
{
    public ILookup<string, string?> Parsed { get; } = parsed.ToLookup(pair => pair.Key, pair => (string?)pair.Value, StringComparer.Ordinal);

    public IReadOnlyList<string> Raw { get; } = [];
}
