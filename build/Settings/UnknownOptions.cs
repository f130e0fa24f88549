namespace Build.Settings;

/// <summary>Refuses options nobody reads, with a "did you mean" for a near miss.</summary>
public static class UnknownOptions
{
    public static void Report(ISettingsSource source, IEnumerable<string> otherKnown, List<string> problems)
    {
        // The build's own options are read in any case (Cake's arguments are); the host's are not (Spectre reads --tree,
        // not --TREE), so a host option in another case would otherwise be ignored without a word.
        var settings = ArgumentNames.All.Concat(ArgumentNames.Refused).Concat(otherKnown).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var host = ArgumentNames.HostOptions.ToHashSet(StringComparer.Ordinal);
        bool Known(string name) => settings.Contains(name) || host.Contains(name);
        var suggestions = ArgumentNames.All.Concat(ArgumentNames.HostOptions).Concat(otherKnown).ToList();
        foreach (var name in source.ArgumentNames.Where(name => !Known(name)).Order())
        {
            var guess = suggestions.Where(candidate => candidate.Length > 2)
                .OrderBy(candidate => EditDistance(candidate, name.ToLowerInvariant()))
                .First();
            var hint = EditDistance(guess, name.ToLowerInvariant()) <= 3 ? $"did you mean --{guess}?" : "see ./build.sh --help and the README's settings table";
            problems.Add($"--{name}: unknown option ({hint})");
        }

        // A repeated option would silently take its last value (--key-policy=enforce --key-policy=off is off).
        foreach (var name in source.ArgumentNames.Where(name => settings.Contains(name)).Order())
        {
            var positions = source.Positions(name);
            if (positions.Count > 1)
            {
                var where = positions.All(position => position > 0) ? $" (arguments {string.Join(" and ", positions)})" : string.Empty;
                problems.Add($"--{name}: given {positions.Count} times{where}; give it once");
            }
        }
    }

    private static int EditDistance(string left, string right)
    {
        var previous = Enumerable.Range(0, right.Length + 1).ToArray();
        for (var i = 1; i <= left.Length; i++)
        {
            var current = new int[right.Length + 1];
            current[0] = i;
            for (var j = 1; j <= right.Length; j++)
            {
                var cost = left[i - 1] == right[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            previous = current;
        }

        return previous[right.Length];
    }
}
