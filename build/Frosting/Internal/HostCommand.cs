using System.Reflection;
using Cake.Cli;
using Cake.Cli.Infrastructure;
using Cake.Core;
using Cake.Core.Configuration;
using Cake.Core.Diagnostics;
using Cake.Core.IO;
using Cake.Core.Scripting;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Cake.Frosting.Internal;

/// <summary>Builds the services, registers the tasks with Cake's engine and runs the targets.</summary>
internal sealed class HostCommand(IServiceCollection services, HostOptions options) : Command<HostSettings>
{
    public override int Execute(CommandContext context, HostSettings settings, CancellationToken cancellationToken) =>
        Run(services, options, settings, context.Remaining);

    /// <summary>The targets named, or the default one.</summary>
    internal static TargetSelection Selection(HostSettings settings, string defaultTarget) =>
        new(settings.Targets.Length > 0 ? settings.Targets : [defaultTarget], settings.Exclusive);

    /// <summary>Whether the command line asks for tasks to run (not --version, --tree, --description or --dryrun).</summary>
    internal static bool RunsTasks(HostSettings settings) => !(settings.Version || settings.Tree || settings.Description || settings.DryRun);

    /// <summary>The run itself, for a command line read by Spectre or by <see cref="CanonicalCommandLine"/>.</summary>
    public static int Run(IServiceCollection services, HostOptions options, HostSettings settings, IRemainingArguments remaining)
    {
        var selection = Selection(settings, options.DefaultTarget);
        var targets = selection.Targets.ToArray();
        services.AddSingleton<ICakeArguments>(remaining.ToCakeArguments(targets, null));
        services.AddSingleton(remaining);
        services.AddSingleton(selection);
        if (RunsTasks(settings))
        {
            options.TasksStarting?.Invoke(selection);
        }

        using var provider = services.BuildServiceProvider();

        var log = provider.GetRequiredService<ICakeLog>();
        log.Verbosity = settings.Verbosity;
        try
        {
            if (settings.Version)
            {
                var version = options.EntryAssembly.GetName().Version?.ToString(3) ?? "0.0.0";
                var cake = typeof(ICakeContext).Assembly.GetName().Version?.ToString(3) ?? "?";
                Console.Out.WriteLine($"{options.EntryAssembly.GetName().Name} {version} (Cake {cake})");
                return 0;
            }

            // The context first: it registers the masks, so nothing below can print a secret.
            var frostingContext = provider.GetRequiredService<FrostingContext>();
            var knownTasks = TaskCatalog.FindTaskTypes(options.EntryAssembly).Select(TaskCatalog.NameOf).ToList();
            var unknown = targets.Where(target => !knownTasks.Contains(target, StringComparer.OrdinalIgnoreCase)).ToList();
            if (unknown.Count > 0)
            {
                // A task name typed wrong is worth echoing; anything else (a pasted URL or key) is not.
                var shown = unknown.All(target => target.Length <= 40 && target.All(char.IsAsciiLetterOrDigit)) ? $" '{string.Join("', '", unknown)}'"
                    : " (not shown: not a task name)";
                throw new CakeException(2,
                    $"Unknown target{shown}. Fix: use one of {string.Join(", ", knownTasks.Order())} ({CakeHost.ScriptName} --tree shows the graph).");
            }

            var engine = provider.GetRequiredService<ICakeEngine>();
            TaskRegistration.Register(engine, frostingContext, provider.GetServices<IFrostingTask>());
            TaskRegistration.Register(engine, frostingContext, provider.GetService<IFrostingLifetime>(), provider.GetService<IFrostingTaskLifetime>());

            var host = CreateScriptHost(provider, settings, engine, frostingContext, log);
            if (settings.Exclusive)
            {
                host.Settings.UseExclusiveTarget();
            }

            host.RunTargetsAsync(targets).GetAwaiter().GetResult();
            return 0;
        }
        catch (Exception exception)
        {
            var thrown = exception is CakeReportException { InnerException: { } inner } ? inner : exception;
            if (thrown is CakeException expected)
            {
                // A CakeException is a failure the build classified: its one line, never a stack trace, at any verbosity.
                log.Error("Error: {0}", expected.Message);
                return expected.ExitCode;
            }

            return log.LogException(thrown);
        }
    }

    private static IScriptHost CreateScriptHost(IServiceProvider provider, HostSettings settings, ICakeEngine engine, FrostingContext context, ICakeLog log)
    {
        if (settings.Tree)
        {
            return new TreeScriptHost(engine, context, provider.GetRequiredService<IConsole>());
        }

        if (settings.Description)
        {
            return new DescriptionScriptHost(engine, context, provider.GetRequiredService<IAnsiConsole>());
        }

        if (settings.DryRun)
        {
            return new DryRunScriptHost<FrostingContext>(engine, context, log);
        }

        return new BuildScriptHost<FrostingContext>(
            engine,
            provider.GetRequiredService<IExecutionStrategy>(),
            context,
            provider.GetRequiredService<ICakeReportPrinter>(),
            provider.GetRequiredService<ICakeConfiguration>(),
            log);
    }
}

/// <param name="TasksStarting">Told the targets as soon as the command line is read, before the services are built, on a run that will run tasks.</param>
internal sealed record HostOptions(Assembly EntryAssembly, string DefaultTarget, Action<TargetSelection>? TasksStarting = null);
