using System.Globalization;

namespace Build.Settings;

/// <summary>
/// How a setting's text becomes its value: the form <c>--help</c> and the docs show after the option name, and the
/// one-line problem (after "--name: ") when the text does not fit. The range a parser checks is the range help shows.
/// </summary>
public abstract class SettingParser<T>
{
    /// <summary>What follows <c>--name</c>: "=N", "=audit|block", or nothing for a switch.</summary>
    public abstract string Form { get; }

    /// <summary>What help adds after the option, such as " (1 to 3600)"; empty when the form says it all.</summary>
    public virtual string Range => string.Empty;

    /// <summary>Whether blank text means "not given" (names, paths) rather than a malformed value (numbers, choices, switches).</summary>
    public virtual bool BlankIsUnset => false;

    /// <summary>The value of <paramref name="text"/>; on a problem, any value, and the problem set.</summary>
    public abstract T Parse(string text, string option, out string? problem);
}

/// <summary>The parsers the settings table uses.</summary>
public static class SettingParsers
{
    public static SettingParser<bool> Switch { get; } = new SwitchParser();

    public static SettingParser<int> WholeNumber(int minimum, int maximum, int example) => new WholeNumberParser(minimum, maximum, example);

    public static SettingParser<TimeSpan> Seconds(int minimum, int maximum, int example) => new SecondsParser(minimum, maximum, example);

    /// <summary>One of a few words, case-insensitive; <paramref name="example"/> is the one the problem suggests, if any.</summary>
    public static SettingParser<T> OneOf<T>(IReadOnlyList<(string Word, T Value)> choices, string? example = null) => new ChoiceParser<T>(choices, example);

    /// <summary>Any text; blank is not given.</summary>
    public static SettingParser<string> Text(string form) => new CheckedText(form, _ => null);

    /// <summary>Text that <paramref name="check"/> accepts (it returns the problem, or null); blank is not given.</summary>
    public static SettingParser<string> Checked(string form, Func<string, string?> check) => new CheckedText(form, check);

    private sealed class SwitchParser : SettingParser<bool>
    {
        public override string Form => string.Empty;

        public override bool Parse(string text, string option, out string? problem)
        {
            problem = null;
            switch (text.ToLowerInvariant())
            {
                case "" or "true" or "yes" or "1":
                    return true;
                case "false" or "no" or "0":
                    return false;
                default:
                    problem = $"is a switch; write --{option} or --{option}=false";
                    return false;
            }
        }
    }

    private sealed class WholeNumberParser(int minimum, int maximum, int example) : SettingParser<int>
    {
        public override string Form => "=N";

        public override string Range => $" ({minimum} to {maximum})";

        public override int Parse(string text, string option, out string? problem)
        {
            var fits = int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= minimum && value <= maximum;
            problem = fits ? null : $"must be a whole number from {minimum} to {maximum}, such as --{option}={example}";
            return value;
        }
    }

    private sealed class SecondsParser(int minimum, int maximum, int example) : SettingParser<TimeSpan>
    {
        public override string Form => "=SECONDS";

        public override string Range => $" ({minimum} to {maximum})";

        public override TimeSpan Parse(string text, string option, out string? problem)
        {
            var fits = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && !double.IsNaN(seconds) && seconds >= minimum
                && seconds <= maximum;
            problem = fits ? null : $"must be a number of seconds from {minimum} to {maximum}, such as --{option}={example}";
            return fits ? TimeSpan.FromSeconds(seconds) : TimeSpan.Zero;
        }
    }

    private sealed class ChoiceParser<T>(IReadOnlyList<(string Word, T Value)> choices, string? example) : SettingParser<T>
    {
        public override string Form => "=" + string.Join("|", choices.Select(choice => choice.Word));

        public override T Parse(string text, string option, out string? problem)
        {
            foreach (var (word, value) in choices)
            {
                if (word.Equals(text, StringComparison.OrdinalIgnoreCase))
                {
                    problem = null;
                    return value;
                }
            }

            var words = choices.Select(choice => choice.Word).ToList();
            var list = $"{string.Join(", ", words[..^1])} or {words[^1]}";
            problem = example is null ? $"must be {list}" : $"must be {list}, such as --{option}={example}";
            return choices[0].Value;
        }
    }

    private sealed class CheckedText(string form, Func<string, string?> check) : SettingParser<string>
    {
        public override string Form => form;

        public override bool BlankIsUnset => true;

        public override string Parse(string text, string option, out string? problem)
        {
            problem = check(text);
            return text;
        }
    }
}
