using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Build.Tests.Support;

/// <summary>
/// A hostile gateway on loopback: it reads each HTTP request and answers with raw bytes chosen per
/// request number, so tests can send what no well-behaved server sends (a body cut short, oversized
/// headers, 101, a Retry-After of 0, control characters). Connections close after each answer.
/// </summary>
public sealed class RawGateway : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Func<int, string, byte[]> _answer;
    private int _requests;

    /// <param name="answer">Given the request's number (from 1) and its request line, the bytes to send.</param>
    public RawGateway(Func<int, string, byte[]> answer)
    {
        _answer = answer;
        _listener.Start();
        _ = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public string Url => $"http://127.0.0.1:{Port}";

    public int Requests => Volatile.Read(ref _requests);

    public List<string> RequestLines { get; } = [];

    /// <summary>Every request's head: request line and headers.</summary>
    public List<string> Heads { get; } = [];

    /// <summary>Every request's body, as text.</summary>
    public List<string> Bodies { get; } = [];

    public static byte[] Http(string head, string body = "", bool cutBody = false)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var length = cutBody ? bytes.Length + 500 : bytes.Length;
        return Encoding.UTF8.GetBytes($"HTTP/1.1 {head}\r\nContent-Length: {length}\r\nConnection: close\r\n\r\n").Concat(bytes).ToArray();
    }

    public static byte[] Json(int status, string body, params string[] headers) =>
        Encoding.UTF8.GetBytes($"HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\nConnection: close\r\n{string.Concat(headers.Select(header => header + "\r\n"))}\r\n{body}");

    private async Task AcceptAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                _ = ServeAsync(client);
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var head = await ReadHeadAsync(stream);
                if (head is null)
                {
                    return;
                }

                var requestLine = head.Split("\r\n")[0];
                lock (RequestLines)
                {
                    RequestLines.Add(requestLine);
                    Heads.Add(head);
                }

                var number = Interlocked.Increment(ref _requests);
                await stream.WriteAsync(_answer(number, requestLine), _stop.Token);
                await stream.FlushAsync(_stop.Token);
                client.Client.Shutdown(SocketShutdown.Send);
                await Task.Delay(50, _stop.Token);
            }
            catch (Exception exception) when (exception is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
            }
        }
    }

    private async Task<string?> ReadHeadAsync(NetworkStream stream)
    {
        var buffer = new List<byte>();
        var one = new byte[1];
        while (buffer.Count < 64 * 1024)
        {
            if (await stream.ReadAsync(one, _stop.Token) == 0)
            {
                return null;
            }

            buffer.Add(one[0]);
            if (buffer.Count >= 4 && buffer[^4] == '\r' && buffer[^3] == '\n' && buffer[^2] == '\r' && buffer[^1] == '\n')
            {
                var head = Encoding.ASCII.GetString(buffer.ToArray());
                var length = head.Split("\r\n").FirstOrDefault(line => line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase)) is { } header
                    ? int.Parse(header["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture)
                    : 0;
                var body = new byte[length];
                await stream.ReadExactlyAsync(body, _stop.Token);
                lock (RequestLines)
                {
                    Bodies.Add(Encoding.UTF8.GetString(body));
                }

                return head;
            }
        }

        return null;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
    }
}
