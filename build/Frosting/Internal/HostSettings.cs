using System.ComponentModel;
using Cake.Cli;
using Cake.Core.Diagnostics;
using Spectre.Console.Cli;

namespace Cake.Frosting.Internal;

/// <summary>The options Cake users know; every other <c>--name=value</c> becomes a Cake argument.</summary>
internal sealed class HostSettings : CommandSettings
{
    // Each option's spellings, once: the attributes below, the canonical reader's switches, the build's list of
    // options that are not its own settings all come from here.
    private const string TargetOption = "--target|-t <TARGET>";
    private const string VerbosityOption = "--verbosity|-v <VERBOSITY>";
    private const string ExclusiveOption = "--exclusive|-e";
    private const string DryRunOption = "--dryrun|--noop|--whatif";
    private const string TreeOption = "--tree|--showtree";
    private const string DescriptionOption = "--description|--descriptions|--showdescription";
    private const string VersionOption = "--version|--ver";

    /// <summary>Spectre.Console.Cli's own help option.</summary>
    private const string HelpOption = "--help|-h|-?";

    /// <summary>Every option the host reads, without its dashes (the build's settings reader leaves these alone).</summary>
    public static readonly IReadOnlyList<string> Names =
        [.. new[] { TargetOption, VerbosityOption, ExclusiveOption, DryRunOption, TreeOption, DescriptionOption, VersionOption, HelpOption }
            .SelectMany(Spellings).Select(spelling => spelling.TrimStart('-')).Where(name => name != "?")];

    /// <summary>The switches by their long names (no dashes), each with what it sets: the canonical reader's table.</summary>
    internal static readonly IReadOnlyDictionary<string, Action<HostSettings>> Switches = new[]
    {
        (ExclusiveOption, (Action<HostSettings>)(settings => settings.Exclusive = true)),
        (DryRunOption, settings => settings.DryRun = true),
        (TreeOption, settings => settings.Tree = true),
        (DescriptionOption, settings => settings.Description = true),
        (VersionOption, settings => settings.Version = true),
    }.SelectMany(pair => Spellings(pair.Item1)
            .Where(spelling => spelling.StartsWith("--", StringComparison.Ordinal))
            .Select(spelling => (Name: spelling[2..], Set: pair.Item2)))
        .ToDictionary(pair => pair.Name, pair => pair.Set, StringComparer.Ordinal);

    /// <summary>The spellings of an option template: "--tree|--showtree" gives --tree and --showtree; a value placeholder is dropped.</summary>
    private static IEnumerable<string> Spellings(string template) => template.Split(' ')[0].Split('|');

    [CommandOption(TargetOption)]
    [Description("Target task to invoke.")]
    public string[] Targets { get; set; } = [];

    [CommandOption(VerbosityOption)]
    [Description("Quiet, Minimal, Normal, Verbose or Diagnostic.")]
    [TypeConverter(typeof(VerbosityConverter))]
    [DefaultValue(Verbosity.Normal)]
    public Verbosity Verbosity { get; set; }

    [CommandOption(ExclusiveOption)]
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
