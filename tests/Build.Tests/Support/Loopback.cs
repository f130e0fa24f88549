using System.Net;
using System.Net.Sockets;

namespace Build.Tests.Support;

public static class Loopback
{
    /// <summary>A loopback port nothing listens on: free when asked, so a connection to it is refused.</summary>
    public static int UnusedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
