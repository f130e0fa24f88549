namespace Cake.Frosting;

/// <summary>The decorated task runs before <see cref="Task"/> (a reverse dependency).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public sealed class IsDependeeOfAttribute(Type task) : Attribute
{
    public Type Task { get; } = task;
}
