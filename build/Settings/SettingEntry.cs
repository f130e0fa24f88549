namespace Build.Settings;

/// <summary>
/// One setting: what it is, where it is set (the text --help and the docs show), its default, its option and environment
/// variable (the option wins over the variable, which wins over the default), and whether its value is a secret (masked
/// before the first output, never accepted as an option). Settings read from several variables at once (the gateway URL,
/// the join credentials) are plain entries read by their own reader; the rest are <see cref="Setting{T}"/>.
/// </summary>
public class SettingEntry(string what, string source, string @default, string? option = null, string? environment = null, bool secret = false)
{
    public string What { get; } = what;

    public string Source { get; } = source;

    public string Default { get; } = @default;

    public string? Option { get; } = option;

    public string? Environment { get; } = environment;

    public bool Secret { get; } = secret;

    public override string ToString() => What;
}

/// <summary>
/// A setting with its parser and typed default: <see cref="Read(ISettingsSource, List{string})"/> is the one precedence
/// rule (option, then variable, then default) and the one place its text is checked. Unless given, the help text is
/// made from the option, the parser's form and range, the variable and <paramref name="note"/>.
/// </summary>
public sealed class Setting<T>(
    string what,
    SettingParser<T> parser,
    T fallback,
    string @default,
    string? option = null,
    string? environment = null,
    string? note = null,
    string? source = null,
    string? problemLabel = null,
    bool secret = false)
    : SettingEntry(what, source ?? Describe(option, parser, environment, note), @default, option, environment, secret)
{
    public SettingParser<T> Parser { get; } = parser;

    public T Fallback { get; } = fallback;

    public T Read(ISettingsSource source, List<string> problems) => Read(source, problems, Fallback);

    /// <summary>As <see cref="Read(ISettingsSource, List{string})"/>, with a default that depends on the run (the deadline on CI).</summary>
    public T Read(ISettingsSource source, List<string> problems, T fallback)
    {
        var (text, origin) = Given(source);
        if (text is null)
        {
            return fallback;
        }

        var value = Parser.Parse(text, Option ?? Environment!, out var problem);
        if (problem is null)
        {
            return value;
        }

        problems.Add($"{problemLabel ?? origin}: {problem}");
        return fallback;
    }

    /// <summary>Whether the option or the variable gives this setting a value.</summary>
    public bool IsGiven(ISettingsSource source) => Given(source).Text is not null;

    private (string? Text, string Origin) Given(ISettingsSource source)
    {
        if (Option is not null && source.Argument(Option) is { } argument && !(Parser.BlankIsUnset && string.IsNullOrWhiteSpace(argument)))
        {
            return (argument, $"--{Option}");
        }

        if (Environment is not null && source.Environment(Environment) is { } variable && !string.IsNullOrWhiteSpace(variable))
        {
            return (variable, Environment);
        }

        return (null, string.Empty);
    }

    private static string Describe(string? option, SettingParser<T> parser, string? environment, string? note)
    {
        var parts = new List<string>();
        if (option is not null)
        {
            parts.Add($"`--{option}{parser.Form}`{parser.Range}");
        }

        if (environment is not null)
        {
            parts.Add($"`{environment}`");
        }

        var where = string.Join(" or ", parts);
        return note is null ? where : $"{where} {note}";
    }
}
