using System.ComponentModel;
using Cake.Cli;
using Cake.Core.Diagnostics;
using Spectre.Console.Cli;

namespace Cake.Frosting.Internal;

/// <summary>The options Cake users know; every other <c>--name=value</c> becomes a Cake argument.</summary>
internal sealed class HostSettings : CommandSettings
{
    private const string DryRunOption = "--dryrun|--noop|--whatif";
    private const string TreeOption = "--tree|--showtree";
    private const string DescriptionOption = "--description|--descriptions|--showdescription";
    private const string VersionOption = "--version|--ver";

    /// <summary>Every spelling of an option after which no task runs (help included): the warm-up stays out.</summary>
    public static readonly string[] NoTaskOptions =
        [.. new[] { DryRunOption, TreeOption, DescriptionOption, VersionOption }.SelectMany(template => template.Split('|')), "--help", "-h", "-?"];

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

    [CommandOption(DryRunOption)]
    [Description("Shows what would run without running it.")]
    public bool DryRun { get; set; }

    [CommandOption(TreeOption)]
    [Description("Shows the task dependency tree.")]
    public bool Tree { get; set; }

    [CommandOption(DescriptionOption)]
    [Description("Shows the description of each task.")]
    public bool Description { get; set; }

    [CommandOption(VersionOption)]
    [Description("Shows the build program's and Cake's versions.")]
    public bool Version { get; set; }
}
