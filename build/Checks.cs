using System.Reflection;
using Cake.Frosting;

namespace Build;

/// <summary>A task that verifies something (aggregates and Summary only gather checks). The lifetime asks for them by this mark, not by their folder.</summary>
public interface ICheckTask;

/// <summary>The names of every check task of this program.</summary>
public static class Checks
{
    public static IReadOnlySet<string> Names { get; } = typeof(Checks).Assembly.GetTypes()
        .Where(type => typeof(ICheckTask).IsAssignableFrom(type) && type is { IsAbstract: false, IsInterface: false })
        .Select(NameOf)
        .ToHashSet(StringComparer.OrdinalIgnoreCase);

    public static string NameOf(Type type) => type.GetCustomAttribute<TaskNameAttribute>()?.Name ?? type.Name;
}
