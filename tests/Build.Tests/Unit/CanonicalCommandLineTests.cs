using Cake.Cli;
using Cake.Cli.Infrastructure;
using Cake.Core.Diagnostics;
using Cake.Frosting.Internal;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console.Cli;

namespace Build.Tests.Unit;

/// <summary>
/// The host reads canonical command lines itself and hands every other one to Spectre.Console.Cli.
/// Wherever it answers, it must answer exactly what Spectre would: same settings, same Cake arguments.
/// </summary>
[TestFixture]
public sealed class CanonicalCommandLineTests
{
    /// <summary>Every form the README, the workflows and the scripts use: read without Spectre.</summary>
    private static readonly string[][] Canonical =
    [
        [],
        ["--target=Verify"],
        ["--target=ChatSmoke", "--exclusive"],
        ["--target=HealthCheck", "--exclusive=true"],
        ["--target=HealthCheck", "--exclusive=false"],
        ["--target=Verify", "--litellm-url=http://127.0.0.1:4000"],
        ["--litellm-url=https://gateway.tail1234.ts.net:8443/", "--model=gpt-4o-mini", "--report=artifacts/report.json"],
        ["--model=a=b", "--note=a:b c", "--report=/tmp/a b/report.json"],
        ["--model=gpt-4", "--model=gpt-4o"],
        ["--target=Harden", "--target=HealthCheck"],
        ["--verbosity=diagnostic"],
        ["--verbosity=quiet", "--target=Verify"],
        ["--verbosity=Minimal"],
        ["--tree"],
        ["--showtree"],
        ["--dryrun"],
        ["--noop"],
        ["--whatif"],
        ["--description"],
        ["--descriptions"],
        ["--showdescription"],
        ["--version"],
        ["--ver"],
        ["--tree=false", "--target=Verify"],
        ["--litellm-url=-dash-first"],
        ["--x-1=2", "--ca-cert=./ca.pem"],
        ["--tailscale-tags=tag:ci,tag:other", "--health-path=/health/readiness?x=1&y=2"],
    ];

    /// <summary>Forms left to Spectre: short options, values after a space, help, odd names, repeats, bad values.</summary>
    private static readonly string[][] Declined =
    [
        ["-t", "Verify"],
        ["-e"],
        ["--target", "Verify"],
        ["--exclusive", "true"],
        ["Verify"],
        ["--help"],
        ["-h"],
        ["--"],
        ["--", "--target=Verify"],
        ["--flag"],
        ["--model="],
        ["--target"],
        ["--target="],
        ["--exclusive=yes"],
        ["--exclusive=True"],
        ["--exclusive", "--exclusive"],
        ["--verbosity=normal", "--verbosity=quiet"],
        ["--verbosity=loud"],
        ["--verbosity"],
        ["--Target=Verify"],
        ["--LITELLM_URL=http://127.0.0.1:1"],
        ["--a_b=1"],
        ["--1x=1"],
        ["---x=1"],
        ["--litellm-url:http://127.0.0.1:1"],
        ["--help=x"],
        ["-xexclusive"],
        ["xxtarget=Verify"],
    ];

    private static IEnumerable<TestCaseData> CanonicalCases() => Canonical.Select(args => new TestCaseData((object)args).SetArgDisplayNames(Show(args)));

    private static IEnumerable<TestCaseData> DeclinedCases() => Declined.Select(args => new TestCaseData((object)args).SetArgDisplayNames(Show(args)));

    [TestCaseSource(nameof(CanonicalCases))]
    public void Reads_the_canonical_forms_exactly_as_Spectre_does(string[] args)
    {
        var fast = CanonicalCommandLine.TryRead(args);
        var spectre = ReadWithSpectre(args);

        Assert.That(fast, Is.Not.Null, "a canonical command line went to Spectre (the slow path)");
        Assert.That(spectre.Error, Is.Null, "Spectre rejects a line the fast reader accepted");
        Assert.That(Describe(fast!.Value.Settings, fast.Value.Remaining), Is.EqualTo(Describe(spectre.Settings!, spectre.Remaining!)));
    }

    [TestCaseSource(nameof(DeclinedCases))]
    public void Leaves_every_other_form_to_Spectre(string[] args) =>
        Assert.That(CanonicalCommandLine.TryRead(args), Is.Null);

    [Test]
    public void Reads_values_and_switches_as_given()
    {
        var read = CanonicalCommandLine.TryRead(["--target=ChatSmoke", "--exclusive", "--verbosity=diagnostic", "--model=a=b", "--model=c", "--tree=false"])!.Value;

        Assert.Multiple(() =>
        {
            Assert.That(read.Settings.Targets, Is.EqualTo(new[] { "ChatSmoke" }));
            Assert.That(read.Settings.Exclusive, Is.True);
            Assert.That(read.Settings.Tree, Is.False);
            Assert.That(read.Settings.Verbosity, Is.EqualTo(Verbosity.Diagnostic));
            Assert.That(read.Remaining.ToCakeArguments(read.Settings.Targets, null).GetArguments("model"), Is.EqualTo(new[] { "a=b", "c" }));
        });
    }

    private static string Show(string[] args) => args.Length == 0 ? "(none)" : string.Join(' ', args);

    /// <summary>Settings and the Cake arguments they become, as one comparable text.</summary>
    [Test]
    public void The_host_options_are_declared_once_by_the_attributes_spectre_reads()
    {
        var declared = typeof(HostSettings).GetProperties()
            .SelectMany(property => property.GetCustomAttributes(typeof(CommandOptionAttribute), false).Cast<CommandOptionAttribute>())
            .SelectMany(option => option.LongNames.Concat(option.ShortNames))
            .Concat(["help", "h"])
            .ToList();

        Assert.That(HostSettings.Names, Is.EquivalentTo(declared));
        Assert.That(Build.Settings.ArgumentNames.HostOptions, Is.EquivalentTo(declared));
    }

    private static string Describe(HostSettings settings, IRemainingArguments remaining)
    {
        var arguments = remaining.ToCakeArguments(settings.Targets, null).GetArguments();
        var cake = string.Join("; ", arguments.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => $"{pair.Key}=[{string.Join("|", pair.Value)}]"));
        var parsed = string.Join("; ", remaining.Parsed.Select(group => $"{group.Key}=[{string.Join("|", group)}]"));
        return $"targets=[{string.Join("|", settings.Targets)}] verbosity={settings.Verbosity} exclusive={settings.Exclusive} dryrun={settings.DryRun} "
            + $"tree={settings.Tree} description={settings.Description} version={settings.Version} parsed={{{parsed}}} raw=[{string.Join("|", remaining.Raw)}] cake={{{cake}}}";
    }

    /// <summary>What Spectre.Console.Cli reads (the host's slow path); no settings when it runs no command (--help).</summary>
    internal static (HostSettings? Settings, IRemainingArguments? Remaining, string? Error) ReadWithSpectre(string[] args)
    {
        var capture = new Capture();
        var services = new ServiceCollection();
        services.AddSingleton(capture);
        var app = new CommandApp<CaptureCommand>(new TypeRegistrar(services));
        app.Configure(config => config.PropagateExceptions());
        try
        {
            app.Run(args);
            return (capture.Settings, capture.Remaining, null);
        }
        catch (Exception exception)
        {
            return (null, null, exception.Message);
        }
    }

    private sealed class Capture
    {
        public HostSettings? Settings { get; set; }

        public IRemainingArguments? Remaining { get; set; }
    }

    private sealed class CaptureCommand(Capture capture) : Command<HostSettings>
    {
        public override int Execute(CommandContext context, HostSettings settings, CancellationToken cancellationToken)
        {
            capture.Settings = settings;
            capture.Remaining = context.Remaining;
            return 0;
        }
    }
}
