using System.Reflection;
using Cake.Cli;
using Cake.Core;
using Cake.Core.Configuration;
using Cake.Core.Diagnostics;
using Cake.Core.IO;
using Cake.Frosting.Internal;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console.Cli;

namespace Cake.Frosting;

/// <summary>
/// Hosts Cake's engine for a build program: finds the task classes, registers the typed context
/// and lifetimes, parses the Cake command line and runs the targets. Mirrors Cake.Frosting's CakeHost.
/// </summary>
public sealed class CakeHost
{
    private readonly ServiceCollection _services = new();
    private readonly Assembly _entryAssembly = Assembly.GetEntryAssembly()!;

    public CakeHost()
    {
        _services.AddCakeDiagnostics();
        _services.UseCakeDefaultModules();
        _services.AddSingleton<ICakeReportPrinter, StepHeaderPrinter>();
        _services.AddSingleton<ICakeConfiguration>(provider => new CakeConfigurationProvider(
                provider.GetRequiredService<IFileSystem>(), provider.GetRequiredService<ICakeEnvironment>())
            .CreateConfiguration(provider.GetRequiredService<ICakeEnvironment>().WorkingDirectory, new Dictionary<string, string>()));

        foreach (var taskType in TaskCatalog.FindTaskTypes(_entryAssembly))
        {
            _services.AddSingleton(typeof(IFrostingTask), taskType);
        }
    }

    /// <summary>Cake.Frosting's default target: a task named Default (here an alias of Verify).</summary>
    public const string DefaultTarget = "Default";

    public CakeHost UseContext<TContext>()
        where TContext : FrostingContext
    {
        _services.AddSingleton<TContext>();
        _services.AddSingleton<FrostingContext>(provider => provider.GetRequiredService<TContext>());
        return this;
    }

    public CakeHost UseLifetime<TLifetime>()
        where TLifetime : class, IFrostingLifetime
    {
        _services.AddSingleton<IFrostingLifetime, TLifetime>();
        return this;
    }

    public CakeHost UseTaskLifetime<TLifetime>()
        where TLifetime : class, IFrostingTaskLifetime
    {
        _services.AddSingleton<IFrostingTaskLifetime, TLifetime>();
        return this;
    }

    public CakeHost ConfigureServices(Action<IServiceCollection> configure)
    {
        configure(_services);
        return this;
    }

    public int Run(IEnumerable<string> args)
    {
        var registrar = new TypeRegistrar();
        registrar.RegisterInstance(typeof(IServiceCollection), _services);
        registrar.RegisterInstance(typeof(HostOptions), new HostOptions(_entryAssembly, DefaultTarget));

        var app = new CommandApp<HostCommand>(registrar);
        app.Configure(config =>
        {
            config.SetApplicationName(OperatingSystem.IsWindows() ? "./build.ps1" : "./build.sh");
            config.PropagateExceptions();
        });

        try
        {
            return app.Run(args);
        }
        catch (CommandAppException exception)
        {
            // Spectre draws parse errors as a multi-line diagram; a build wants one line and a hint.
            var name = OperatingSystem.IsWindows() ? "./build.ps1" : "./build.sh";
            Console.Error.WriteLine($"Error: {exception.Message.TrimEnd('.')}. Fix: see {name} --help.");
            return 1;
        }
    }
}
