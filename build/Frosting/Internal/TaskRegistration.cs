using Cake.Core;

namespace Cake.Frosting.Internal;

/// <summary>Registers task objects and lifetimes with Cake's engine, the way Cake.Frosting does.</summary>
internal static class TaskRegistration
{
    public static void Register(ICakeEngine engine, ICakeContext context, IEnumerable<IFrostingTask> tasks)
    {
        foreach (var task in tasks)
        {
            var type = task.GetType();
            var builder = engine.RegisterTask(TaskCatalog.NameOf(type));
            var description = TaskCatalog.DescriptionOf(type);
            if (description.Length > 0)
            {
                builder.Description(description);
            }

            builder.Does(() => task.RunAsync(context));

            if (TaskCatalog.Overrides(type, nameof(IFrostingTask.ShouldRun)))
            {
                builder.WithCriteria(_ => task.ShouldRun(context), task.SkippedMessage);
            }

            // Only an overridden OnError is registered: Cake swallows the exception once a handler exists.
            if (TaskCatalog.Overrides(type, nameof(IFrostingTask.OnError)))
            {
                builder.OnError(exception => task.OnError(exception, context));
            }

            if (TaskCatalog.Overrides(type, nameof(IFrostingTask.Finally)))
            {
                builder.Finally(() => task.Finally(context));
            }

            foreach (var dependency in TaskCatalog.DependenciesOf(type))
            {
                builder.IsDependentOn(TaskCatalog.NameOf(dependency));
            }

            foreach (var dependee in TaskCatalog.DependeesOf(type))
            {
                builder.IsDependeeOf(TaskCatalog.NameOf(dependee));
            }
        }
    }

    public static void Register(ICakeEngine engine, ICakeContext context, IFrostingLifetime? lifetime, IFrostingTaskLifetime? taskLifetime)
    {
        if (lifetime is not null)
        {
            engine.RegisterSetupAction(info => lifetime.Setup(context, info));
            engine.RegisterTeardownAction(info => lifetime.Teardown(context, info));
        }

        if (taskLifetime is not null)
        {
            engine.RegisterTaskSetupAction(info => taskLifetime.Setup(context, info));
            engine.RegisterTaskTeardownAction(info => taskLifetime.Teardown(context, info));
        }
    }
}
