using Cake.Cli;
using Cake.Core.Diagnostics;

namespace Cake.Frosting.Internal;

/// <summary>
/// The command line in the form the README, the workflows and the scripts use (every argument
/// <c>--name=value</c>, or a host switch), read without Spectre.Console.Cli: building Spectre's command
/// model by reflection is a large part of a warm run (docs/performance.md). Anything else (short options, values after a space,
/// <c>--help</c>, a repeated option, a value Spectre would reject) is declined and goes to Spectre as
/// before, so both readers agree wherever this one answers (checked side by side in the tests).
/// </summary>
internal static class CanonicalCommandLine
{
    /// <summary>The settings and the remaining (Cake) arguments, or null when Spectre must read this command line.</summary>
    public static (HostSettings Settings, RemainingArguments Remaining)? TryRead(IReadOnlyList<string> args)
    {
        var settings = new HostSettings { Verbosity = Verbosity.Normal };
        var targets = new List<string>();
        var remaining = new List<KeyValuePair<string, string>>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var argument in args)
        {
            if (!argument.StartsWith("--", StringComparison.Ordinal))
            {
                return null;
            }

            var equals = argument.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? argument[2..] : argument[2..equals];
            var value = equals < 0 ? null : argument[(equals + 1)..];
            if (!IsPlainName(name) || value is { Length: 0 })
            {
                return null;
            }

            if (name == "target")
            {
                if (value is null)
                {
                    return null;
                }

                targets.Add(value);
            }
            else if (name == "verbosity")
            {
                if (value is null || !seen.Add(name) || ParseVerbosity(value) is not { } verbosity)
                {
                    return null;
                }

                settings.Verbosity = verbosity;
            }
            else if (HostSettings.Switches.TryGetValue(name, out var set))
            {
                if (!seen.Add(name) || value is not (null or "true" or "false"))
                {
                    return null;
                }

                if (value != "false")
                {
                    set(settings);
                }
            }
            else if (value is null || name == "help")
            {
                // A bare unknown option may take the next argument as its value: Spectre decides.
                return null;
            }
            else
            {
                remaining.Add(new(argument[..equals], value));
            }
        }

        settings.Targets = [.. targets];
        return (settings, new RemainingArguments(remaining));
    }

    /// <summary>Lower-case letters, digits and dashes, starting with a letter: the names every reader agrees on.</summary>
    private static bool IsPlainName(string name) =>
        name.Length > 0
        && char.IsAsciiLetterLower(name[0])
        && name.All(character => char.IsAsciiLetterLower(character) || char.IsAsciiDigit(character) || character == '-');

    private static Verbosity? ParseVerbosity(string value)
    {
        try
        {
            return new VerbosityConverter().ConvertFrom(value) as Verbosity?;
        }
        catch (Exception)
        {
            // Spectre reports an unknown verbosity in its own words.
            return null;
        }
    }
}
