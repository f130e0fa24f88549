using System.Reflection;
using Cake.Cli;
using Cake.Common.Modules;
using Cake.Core;
using Cake.Core.Configuration;
using Cake.Core.Diagnostics;
using Cake.Core.IO;
using Cake.Core.Modules;
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
    private Func<string>? _helpText;

    public CakeHost()
    {
        _services.AddCakeDiagnostics();
        // Cake.Cli's UseCakeDefaultModules() adds the NuGet and dotnet-tool modules too: its NuGet installer reads
        // every NuGet.Config when the context is built (about 45 ms of each run) to install tools this build never asks for.
        _services.UseModule<CoreModule>();
        _services.UseModule<CommonModule>();
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

    /// <summary>"Unknown command 'sk-…'." becomes "Unknown command": the words before the first quoted value.</summary>
    public static string DescribeWithoutValues(string message)
    {
        var quote = message.IndexOfAny(['\'', '"', '`']);
        var words = (quote < 0 ? message : message[..quote]).Trim().TrimEnd('.', ':', ' ');
        return words.Length is > 0 and <= 80 ? words : "The command line could not be read";
    }

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

    /// <summary>Text --help prints after the host's own options (Cake.Frosting leaves this to the build).</summary>
    public CakeHost UseHelpText(Func<string> helpText)
    {
        _helpText = helpText;
        return this;
    }

    public CakeHost ConfigureServices(Action<IServiceCollection> configure)
    {
        configure(_services);
        return this;
    }

    public int Run(IEnumerable<string> args)
    {
        var arguments = args.ToList();
        var hostOptions = new HostOptions(_entryAssembly, DefaultTarget);
        if (CanonicalCommandLine.TryRead(arguments) is { } canonical)
        {
            return HostCommand.Run(_services, hostOptions, canonical.Settings, canonical.Remaining);
        }

        var registrar = new TypeRegistrar();
        registrar.RegisterInstance(typeof(IServiceCollection), _services);
        registrar.RegisterInstance(typeof(HostOptions), hostOptions);

        var app = new CommandApp<HostCommand>(registrar);
        app.Configure(config =>
        {
            config.SetApplicationName(OperatingSystem.IsWindows() ? "./build.ps1" : "./build.sh");
            config.PropagateExceptions();
        });

        try
        {
            var code = app.Run(arguments);
            if (_helpText is not null && arguments.Any(argument => argument is "--help" or "-h" or "-?"))
            {
                Console.Out.WriteLine(_helpText());
            }

            return code;
        }
        catch (CommandAppException exception)
        {
            // Spectre draws parse errors as a multi-line diagram that quotes the argument, and nothing is
            // masked yet: a key or a URL typed by mistake would be printed. Say what kind of problem it
            // is, never the value.
            var name = OperatingSystem.IsWindows() ? "./build.ps1" : "./build.sh";
            Console.Error.WriteLine($"Error: {DescribeWithoutValues(exception.Message)} (the value is not shown). Fix: options take the form --name=value, and nothing else goes on the command line; see {name} --help.");
            return 2;
        }
    }
}
