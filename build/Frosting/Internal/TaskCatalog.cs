using System.Reflection;

namespace Cake.Frosting.Internal;

/// <summary>Task classes found by reflection, with the names and relations their attributes declare.</summary>
internal static class TaskCatalog
{
    public static IReadOnlyList<Type> FindTaskTypes(Assembly assembly) =>
        assembly.GetTypes()
            .Where(type => type is { IsClass: true, IsAbstract: false, IsPublic: true } && typeof(IFrostingTask).IsAssignableFrom(type))
            .ToList();

    public static string NameOf(Type taskType) =>
        taskType.GetCustomAttribute<TaskNameAttribute>()?.Name ?? taskType.Name;

    public static string DescriptionOf(Type taskType) =>
        taskType.GetCustomAttribute<TaskDescriptionAttribute>()?.Description ?? string.Empty;

    public static IEnumerable<Type> DependenciesOf(Type taskType) =>
        taskType.GetCustomAttributes<IsDependentOnAttribute>().Select(attribute => attribute.Task);

    public static IEnumerable<Type> DependeesOf(Type taskType) =>
        taskType.GetCustomAttributes<IsDependeeOfAttribute>().Select(attribute => attribute.Task);

    public static bool Overrides(Type taskType, string methodName)
    {
        var method = taskType.GetMethods(BindingFlags.Public | BindingFlags.Instance)
            .FirstOrDefault(candidate => candidate.Name == methodName && !candidate.DeclaringType!.IsInterface);
        return method is not null && method.GetBaseDefinition().DeclaringType != method.DeclaringType;
    }
}
