using System.Text;

namespace Build.Warmup;

/// <summary>
/// One HTTP/1.1 connection that exists only in memory: it reads the request the client writes and
/// answers it with a canned reply chosen by the request line, then closes. Nothing touches a socket.
/// </summary>
public sealed class CannedGatewayConnection(Func<string, string, (int Code, string ContentType, string Body)> answer) : Stream
{
    private readonly MemoryStream _request = new();
    private MemoryStream? _response;

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => _request.Write(buffer, offset, count);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Write(buffer, offset, count);
        return Task.CompletedTask;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        _request.Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer) => (_response ??= Respond()).Read(buffer);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    /// <summary>The reply to the request written so far: "GET /path HTTP/1.1" picks it; a request not yet written gets 400.</summary>
    private MemoryStream Respond()
    {
        var requestLine = Encoding.ASCII.GetString(_request.ToArray()).Split("\r\n", 2)[0].Split(' ');
        var (code, contentType, body) = requestLine.Length == 3 ? answer(requestLine[0], requestLine[1]) : (400, "text/plain", "no request line");
        var bytes = Encoding.UTF8.GetBytes(body);
        var head = $"HTTP/1.1 {code} Canned\r\nContent-Type: {contentType}\r\nContent-Length: {bytes.Length}\r\nConnection: close\r\n\r\n";
        return new MemoryStream([.. Encoding.ASCII.GetBytes(head), .. bytes]);
    }
}
