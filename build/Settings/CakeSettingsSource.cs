using Cake.Core;

namespace Build.Settings;

/// <summary>Settings from Cake's arguments and environment.</summary>
public sealed class CakeSettingsSource(ICakeArguments arguments, ICakeEnvironment environment) : ISettingsSource
{
    public IReadOnlyCollection<string> ArgumentNames => arguments.GetArguments().Keys.ToList();

    public string? Argument(string name) =>
        arguments.HasArgument(name) ? arguments.GetArguments(name).LastOrDefault() ?? string.Empty : null;

    public string? Environment(string name) => environment.GetEnvironmentVariable(name);
}
