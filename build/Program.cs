using Build;
using Build.Security;
using Build.Settings;
using Build.Warmup;
using Cake.Core.Diagnostics;
using Cake.Frosting;
using Microsoft.Extensions.DependencyInjection;

// --no-color is NO_COLOR for this run, set before anything writes: Spectre's console and TerminalLog both read it.
if (args.Any(argument => argument is "--no-color" or "--no-color=true"))
{
    Environment.SetEnvironmentVariable("NO_COLOR", "1");
}

return new CakeHost()
    .UseContext<BuildContext>()
    .UseLifetime<BuildLifetime>()
    .UseTaskLifetime<BuildTaskLifetime>()
    .UseHelpText(SettingsCatalog.HelpText)
    .WhenTasksStart(selection => CodeWarmup.StartIfUseful(selection)) // on a spare core, while the host starts
    .ConfigureServices(services =>
    {
        services.AddSingleton<Redactor>();
        services.AddSingleton<ICakeLog>(provider => new RedactingLog(new Build.Reporting.TerminalLog(Verbosity.Normal),
            provider.GetRequiredService<Redactor>()));
    })
    .Run(args);
