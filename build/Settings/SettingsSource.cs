namespace Build.Settings;

/// <summary>Where settings come from: Cake arguments and the environment (a seam for unit tests).</summary>
public interface ISettingsSource
{
    /// <summary>The value of <c>--name=value</c>; an empty string for a bare <c>--name</c>; null when absent.</summary>
    string? Argument(string name);

    IReadOnlyCollection<string> ArgumentNames { get; }

    string? Environment(string name);

    /// <summary>Where <c>--name</c> stands on the command line, counted from 1, once per time it was given.</summary>
    IReadOnlyList<int> Positions(string name) => Argument(name) is null ? [] : [0];
}
