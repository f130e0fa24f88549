using System.Net;
using System.Net.Sockets;
using System.Text;

namespace FakeTailscale;

/// <summary>
/// A minimal SOCKS5 CONNECT proxy (RFC 1928, no auth) that resolves names only from its table,
/// as tailscaled's proxy resolves MagicDNS names; anything else is answered "host unreachable".
/// </summary>
public static class Socks5
{
    public static async Task ServeAsync(TcpClient client, IReadOnlyDictionary<string, IPAddress> hosts, CancellationToken cancellationToken)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var greeting = await ReadExactlyAsync(stream, 2, cancellationToken);
                await ReadExactlyAsync(stream, greeting[1], cancellationToken);
                await stream.WriteAsync(new byte[] { 5, 0 }, cancellationToken);

                var request = await ReadExactlyAsync(stream, 4, cancellationToken);
                string host;
                switch (request[3])
                {
                    case 1:
                        host = new IPAddress(await ReadExactlyAsync(stream, 4, cancellationToken)).ToString();
                        break;
                    case 3:
                        var length = (await ReadExactlyAsync(stream, 1, cancellationToken))[0];
                        host = Encoding.ASCII.GetString(await ReadExactlyAsync(stream, length, cancellationToken));
                        break;
                    default:
                        host = new IPAddress(await ReadExactlyAsync(stream, 16, cancellationToken)).ToString();
                        break;
                }

                var portBytes = await ReadExactlyAsync(stream, 2, cancellationToken);
                var port = (portBytes[0] << 8) | portBytes[1];
                if (!hosts.TryGetValue(host, out var address))
                {
                    await stream.WriteAsync(new byte[] { 5, 4, 0, 1, 0, 0, 0, 0, 0, 0 }, cancellationToken);
                    return;
                }

                using var upstream = new TcpClient();
                try
                {
                    await upstream.ConnectAsync(address, port, cancellationToken);
                }
                catch (SocketException)
                {
                    await stream.WriteAsync(new byte[] { 5, 5, 0, 1, 0, 0, 0, 0, 0, 0 }, cancellationToken);
                    return;
                }

                await stream.WriteAsync(new byte[] { 5, 0, 0, 1, 127, 0, 0, 1, 0, 0 }, cancellationToken);
                var remote = upstream.GetStream();
                await Task.WhenAny(stream.CopyToAsync(remote, cancellationToken), remote.CopyToAsync(stream, cancellationToken));
            }
            catch (Exception exception) when (exception is IOException or SocketException or OperationCanceledException or EndOfStreamException)
            {
            }
        }
    }

    private static async Task<byte[]> ReadExactlyAsync(NetworkStream stream, int count, CancellationToken cancellationToken)
    {
        var buffer = new byte[count];
        await stream.ReadExactlyAsync(buffer, cancellationToken);
        return buffer;
    }
}
