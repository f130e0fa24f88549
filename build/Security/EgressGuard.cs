using System.Collections.Concurrent;

namespace Build.Security;

public enum EgressMode
{
    Audit,
    Block,
}

/// <summary>
/// The allowlist for the run's own HTTP traffic, and the record of every destination contacted.
/// Every HttpClient the build creates goes through an <see cref="EgressHandler"/> holding this policy.
/// </summary>
public sealed class EgressPolicy(EgressMode mode)
{
    private readonly ConcurrentDictionary<string, bool> _allowed = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, EgressRecord> _contacted = new(StringComparer.OrdinalIgnoreCase);

    public EgressMode Mode => mode;

    public IReadOnlyList<EgressRecord> Destinations =>
        _contacted.Values.OrderBy(record => record.Origin, StringComparer.Ordinal).ToList();

    public void Allow(Uri origin) => _allowed[OriginOf(origin)] = true;

    public bool IsAllowed(Uri destination) => _allowed.TryGetValue(OriginOf(destination), out var allowed) && allowed;

    /// <summary>Records the destination; throws before any connection when block mode refuses it.</summary>
    public void Check(Uri destination)
    {
        var origin = OriginOf(destination);
        var allowed = IsAllowed(destination);
        var blocked = !allowed && mode == EgressMode.Block;
        _contacted.AddOrUpdate(
            origin,
            _ => new EgressRecord(origin, allowed, blocked, 1),
            (_, record) => record with { Requests = record.Requests + 1 });
        if (blocked)
        {
            throw new EgressBlockedException(origin);
        }
    }

    public static string OriginOf(Uri uri) => $"{uri.Scheme}://{uri.IdnHost}:{uri.Port}";
}

/// <summary>Applies an <see cref="EgressPolicy"/> to each request before it is sent.</summary>
public sealed class EgressHandler(EgressPolicy policy, HttpMessageHandler inner) : DelegatingHandler(inner)
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        policy.Check(request.RequestUri ?? throw new InvalidOperationException("A request without a URI."));
        return base.SendAsync(request, cancellationToken);
    }
}

public sealed record EgressRecord(string Origin, bool Allowed, bool Blocked, int Requests);

/// <summary>Thrown before connecting to an origin outside the allowlist in block mode.</summary>
public sealed class EgressBlockedException(string origin)
    : HttpRequestException("egress refused: destination not on the allowlist")
{
    public string Origin { get; } = origin;
}
