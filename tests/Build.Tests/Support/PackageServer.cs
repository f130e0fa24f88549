using System.Net;
using System.Net.Sockets;

namespace Build.Tests.Support;

/// <summary>Serves files by path on loopback, like the Tailscale packages site (tarball and .sha256).</summary>
public sealed class PackageServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Dictionary<string, byte[]> _files;

    public PackageServer(Dictionary<string, byte[]> files)
    {
        _files = files;
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _ = ServeAsync();
    }

    public int Port { get; }

    public List<string> Requested { get; } = [];

    private async Task ServeAsync()
    {
        try
        {
            while (_listener.IsListening)
            {
                var context = await _listener.GetContextAsync();
                var path = context.Request.Url!.AbsolutePath;
                lock (Requested)
                {
                    Requested.Add(path);
                }

                if (_files.TryGetValue(path, out var body))
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

    public void Dispose() => _listener.Close();
}
