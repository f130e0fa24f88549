using Build.Settings;

namespace Build.Tests.Support;

/// <summary>Settings read the way the build reads them, from given options and environment.</summary>
public sealed class TestSettings(Dictionary<string, string>? arguments = null, Dictionary<string, string>? environment = null) : ISettingsSource
{
    private readonly Dictionary<string, string> _arguments = arguments ?? [];
    private readonly Dictionary<string, string> _environment = environment ?? [];

    public IReadOnlyCollection<string> ArgumentNames => _arguments.Keys;

    public string? Argument(string name) => _arguments.GetValueOrDefault(name);

    public string? Environment(string name) => _environment.GetValueOrDefault(name);

    /// <summary>Valid settings for a gateway at <paramref name="url"/>, or the test fails with the problems.</summary>
    public static VerifySettings For(string url, string? key = null, double deadline = 3, params (string Name, string Value)[] more)
    {
        var arguments = new Dictionary<string, string> { ["litellm-url"] = url, ["deadline"] = deadline.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        foreach (var (name, value) in more)
        {
            arguments[name] = value;
        }

        var environment = key is null ? null : new Dictionary<string, string> { ["LITELLM_API_KEY"] = key };
        var (settings, problems) = SettingsReader.Read(new TestSettings(arguments, environment));
        Assert.That(problems, Is.Empty);
        return settings!;
    }
}
