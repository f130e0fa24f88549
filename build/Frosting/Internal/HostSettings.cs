using System.ComponentModel;
using Cake.Cli;
using Cake.Core.Diagnostics;
using Spectre.Console.Cli;

namespace Cake.Frosting.Internal;

/// <summary>The options Cake users know; every other <c>--name=value</c> becomes a Cake argument.</summary>
internal sealed class HostSettings : CommandSettings
{
    [CommandOption("--target|-t <TARGET>")]
    [Description("Target task to invoke.")]
    public string[] Targets { get; set; } = [];

    [CommandOption("--verbosity|-v <VERBOSITY>")]
    [Description("Quiet, Minimal, Normal, Verbose or Diagnostic.")]
    [TypeConverter(typeof(VerbosityConverter))]
    [DefaultValue(Verbosity.Normal)]
    public Verbosity Verbosity { get; set; }

    [CommandOption("--exclusive|-e")]
    [Description("Runs the target task without its dependencies.")]
    public bool Exclusive { get; set; }

    [CommandOption("--dryrun|--noop|--whatif")]
    [Description("Shows what would run without running it.")]
    public bool DryRun { get; set; }

    [CommandOption("--tree|--showtree")]
    [Description("Shows the task dependency tree.")]
    public bool Tree { get; set; }

    [CommandOption("--description|--descriptions|--showdescription")]
    [Description("Shows the description of each task.")]
    public bool Description { get; set; }

    [CommandOption("--version|--ver")]
    [Description("Shows the build program's and Cake's versions.")]
    public bool Version { get; set; }
}
