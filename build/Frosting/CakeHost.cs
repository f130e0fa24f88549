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
    private Action<TargetSelection>? _tasksStarting;

    public CakeHost()
    {
        _services.AddCakeDiagnostics();
        // Cake.Cli's UseCakeDefaultModules() adds the NuGet and dotnet-tool modules too: its NuGet installer reads
        // every NuGet.Config when the context is built (a cost paid by every run: docs/performance.md) to install tools this build never asks for.
        _services.UseModule<CoreModule>();
        _services.UseModule<CommonModule>();
        // A task whose Run/RunAsync is only Frosting's own does nothing itself (an aggregate such as Verify): no step header.
        var silent = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var taskType in TaskCatalog.FindTaskTypes(_entryAssembly))
        {
            _services.AddSingleton(typeof(IFrostingTask), taskType);
            if (!taskType.GetMethods(BindingFlags.Public | BindingFlags.Instance)
                .Any(method => method.Name is "Run" or "RunAsync" && method.DeclaringType?.Namespace != typeof(CakeHost).Namespace
                    && !method.DeclaringType!.IsInterface))
            {
                silent.Add(TaskCatalog.NameOf(taskType));
            }
        }

        _services.AddSingleton<ICakeReportPrinter>(provider => new StepHeaderPrinter(provider.GetRequiredService<Spectre.Console.IAnsiConsole>(), silent));
        _services.AddSingleton<ICakeConfiguration>(provider => new CakeConfigurationProvider(
                provider.GetRequiredService<IFileSystem>(), provider.GetRequiredService<ICakeEnvironment>())
            .CreateConfiguration(provider.GetRequiredService<ICakeEnvironment>().WorkingDirectory, new Dictionary<string, string>()));
    }

    /// <summary>Cake.Frosting's default target: a task named Default (here an alias of Verify).</summary>
    public const string DefaultTarget = "Default";

    /// <summary>The script the user ran (build.sh and build.ps1 say which in VERIFY_SCRIPT), for usage lines and fixes.</summary>
    public static string ScriptName =>
        Environment.GetEnvironmentVariable("VERIFY_SCRIPT") is { } script && script is "./build.ps1" or "./build.sh" ? script
        : OperatingSystem.IsWindows() ? "./build.ps1" : "./build.sh";

    /// <summary>
    /// One line for a command line Spectre could not read, never echoing a value: a bare task name gets the
    /// --target form, a one-dash option the two-dash form (when it is a known option or task name).
    /// </summary>
    public static string DescribeCommandLineError(string message, IReadOnlyList<string> arguments, IReadOnlyList<string> tasks)
    {
        var name = ScriptName;
        if (arguments.FirstOrDefault(argument => tasks.Contains(argument, StringComparer.OrdinalIgnoreCase)) is { } task)
        {
            return $"Error: {task} is a task, not an argument. Fix: {name} --target={task}";
        }

        if (arguments.FirstOrDefault(argument =>
                argument.Length > 2 && argument[0] == '-' && argument[1] != '-' && argument.Contains('=', StringComparison.Ordinal)) is { } oneDash
            && oneDash[1..oneDash.IndexOf('=', StringComparison.Ordinal)] is var option && HostOptionNames.Contains(option))
        {
            var value = oneDash[(oneDash.IndexOf('=', StringComparison.Ordinal) + 1)..];
            var shown = tasks.Contains(value, StringComparer.OrdinalIgnoreCase) ? value : "VALUE";
            return $"Error: -{option} has one dash (the value is not shown). Fix: options take two dashes, such as {name} --{option}={shown}";
        }

        return $"Error: {DescribeWithoutValues(message)} (the value is not shown). Fix: options take the form --name=value, and nothing else goes on the " +
            $"command line; see {name} --help.";
    }

    /// <summary>The host's own long options: the only option names a one-dash mistake may echo.</summary>
    private static readonly string[] HostOptionNames = ["target", "verbosity", "exclusive", "tree", "description", "dryrun", "version", "help"];

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

    /// <summary>
    /// Called with the targets once the command line is read, before the services are built, when tasks will run (not
    /// for --version, --tree, --description, --dryrun or --help): work that can overlap the host's own start goes here.
    /// </summary>
    public CakeHost WhenTasksStart(Action<TargetSelection> starting)
    {
        _tasksStarting = starting;
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
        var hostOptions = new HostOptions(_entryAssembly, DefaultTarget, _tasksStarting);
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
            config.SetApplicationName(ScriptName);
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
            Console.Error.WriteLine(DescribeCommandLineError(exception.Message, arguments,
                TaskCatalog.FindTaskTypes(_entryAssembly).Select(TaskCatalog.NameOf).ToList()));
            return 2;
        }
    }
}
