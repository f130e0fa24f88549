using Cake.Core;

namespace Build.Settings;

/// <summary>Settings from Cake's arguments and environment.</summary>
public sealed class CakeSettingsSource(ICakeArguments arguments, ICakeEnvironment environment) : ISettingsSource
{
    public IReadOnlyCollection<string> ArgumentNames => arguments.GetArguments().Keys.ToList();

    public string? Argument(string name) =>
        arguments.HasArgument(name) ? arguments.GetArguments(name).LastOrDefault() ?? string.Empty : null;

    public string? Environment(string name) => environment.GetEnvironmentVariable(name);

    /// <summary>Cake keeps every value of a repeated option but not where it stood: the command line says.</summary>
    public IReadOnlyList<int> Positions(string name)
    {
        var count = arguments.HasArgument(name) ? arguments.GetArguments(name).Count : 0;
        var found = System.Environment.GetCommandLineArgs().Skip(1)
            .Select((argument, index) => (Argument: argument, Position: index + 1))
            .Where(item => item.Argument.Equals($"--{name}", StringComparison.OrdinalIgnoreCase)
                || item.Argument.StartsWith($"--{name}=", StringComparison.OrdinalIgnoreCase))
            .Select(item => item.Position)
            .ToList();
        return found.Count == count ? found : Enumerable.Repeat(0, count).ToList();
    }
}
