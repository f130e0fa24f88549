using System.Net;
using System.Net.Http.Headers;

namespace Build.Gateway;

/// <summary>An answer read whole (up to the cap), so it can be retried on and classified after the connection is gone.</summary>
public sealed record GatewayResponse(
    HttpStatusCode Status,
    HttpResponseHeaders Headers,
    string? ContentType,
    string Body,
    bool TooLarge,
    TimeSpan Elapsed)
{
    /// <summary>The path that was requested, base path included (the host is never part of it).</summary>
    public string? RequestedPath { get; init; }

    public int Code => (int)Status;

    public bool IsSuccess => Code is >= 200 and < 300;

    public string? Header(string name) =>
        Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    /// <summary>How long the gateway asks us to wait (Retry-After in seconds or as a date).</summary>
    public TimeSpan? RetryAfter =>
        Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - DateTimeOffset.UtcNow is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
            _ => null,
        };

    public bool LooksLikeHtml =>
        (ContentType?.Contains("html", StringComparison.OrdinalIgnoreCase) ?? false)
        || Body.TrimStart().StartsWith('<');
}
