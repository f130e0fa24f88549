namespace Build.Security;

/// <summary>
/// The one redaction point: everything that reaches the console, the report or the step summary
/// passes through here. Secrets are replaced longest first, so a URL is not half-redacted by its host.
/// </summary>
public sealed class Redactor
{
    public const string Placeholder = "<redacted>";

    // Shorter values than this would turn ordinary words and numbers into placeholders.
    private const int MinimumLength = 3;

    private readonly List<string> _secrets = [];
    private readonly Lock _lock = new();

    public void Add(string? secret)
    {
        if (string.IsNullOrEmpty(secret) || secret.Length < MinimumLength)
        {
            return;
        }

        lock (_lock)
        {
            if (!_secrets.Contains(secret, StringComparer.Ordinal))
            {
                _secrets.Add(secret);
                _secrets.Sort((left, right) => right.Length.CompareTo(left.Length));
            }
        }
    }

    public string Redact(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? string.Empty;
        }

        lock (_lock)
        {
            foreach (var secret in _secrets)
            {
                text = text.Replace(secret, Placeholder, StringComparison.OrdinalIgnoreCase);
            }
        }

        return text;
    }
}
