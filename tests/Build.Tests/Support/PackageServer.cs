using System.Net;

namespace Build.Tests.Support;

/// <summary>How the fake packages site hands out release files.</summary>
public enum PackageRedirect
{
    /// <summary>Serves every file itself.</summary>
    None,

    /// <summary>Like pkgs.tailscale.com (tailscale/tailscale#4247): a 302 to another origin of its own domain.</summary>
    SameDomain,

    /// <summary>A 302 to another host name (localhost instead of 127.0.0.1): outside the site's domain.</summary>
    ForeignDomain,
}

/// <summary>
/// The Tailscale packages site on loopback: distsign.pub and its signature at the root, release files
/// under the track folder. Release files (tarball, .sha256, .sig) are redirected to a second origin,
/// as the real site redirects them to another host, when <see cref="PackageRedirect"/> says so.
/// </summary>
public sealed class PackageServer : IDisposable
{
    private readonly HttpListener _site = new();
    private readonly HttpListener _files = new();
    private readonly Dictionary<string, byte[]> _content;
    private readonly PackageRedirect _redirect;

    public PackageServer(Dictionary<string, byte[]> files, PackageRedirect redirect = PackageRedirect.None)
    {
        _content = files;
        _redirect = redirect;
        Port = Listen(_site, "127.0.0.1");
        FilesPort = Listen(_files, redirect == PackageRedirect.ForeignDomain ? "localhost" : "127.0.0.1");
        _ = ServeAsync(_site, redirects: true);
        _ = ServeAsync(_files, redirects: false);
    }

    public int Port { get; }

    public int FilesPort { get; }

    /// <summary>Paths requested from either origin, in order.</summary>
    public List<string> Requested { get; } = [];

    /// <summary>Paths the second origin served (after a redirect).</summary>
    public List<string> ServedAfterRedirect { get; } = [];

    public List<string> UserAgents { get; } = [];

    private static int Listen(HttpListener listener, string host)
    {
        var port = Loopback.UnusedPort();
        listener.Prefixes.Add($"http://{host}:{port}/");
        listener.Start();
        return port;
    }

    private async Task ServeAsync(HttpListener listener, bool redirects)
    {
        try
        {
            while (listener.IsListening)
            {
                var context = await listener.GetContextAsync();
                var path = context.Request.Url!.AbsolutePath;
                lock (Requested)
                {
                    Requested.Add(path);
                    UserAgents.Add(context.Request.UserAgent ?? string.Empty);
                    if (!redirects)
                    {
                        ServedAfterRedirect.Add(path);
                    }
                }

                if (redirects && _redirect != PackageRedirect.None && path.Count(character => character == '/') > 1)
                {
                    var host = _redirect == PackageRedirect.ForeignDomain ? "localhost" : "127.0.0.1";
                    context.Response.StatusCode = 302;
                    context.Response.RedirectLocation = $"http://{host}:{FilesPort}{context.Request.Url.PathAndQuery}";
                }
                else if (_content.TryGetValue(context.Request.Url.PathAndQuery, out var body))
                {
                    context.Response.ContentLength64 = body.Length;
                    await context.Response.OutputStream.WriteAsync(body);
                }
                else
                {
                    context.Response.StatusCode = 404;
                }

                context.Response.Close();
            }
        }
        catch (Exception exception) when (exception is HttpListenerException or ObjectDisposedException)
        {
        }
    }

    public void Dispose()
    {
        _site.Close();
        _files.Close();
    }
}
