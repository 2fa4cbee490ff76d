using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace TinySwap.Tests.Support;

/// <summary>
/// A minimal HTTP/1.1 client over one TCP connection, for tests that must see the wire: send any bytes
/// (malformed ones too), read a response framed by Content-Length, chunked coding or close, reuse the
/// connection for keep-alive. Every read is bounded by <see cref="Timeout"/> so a hung server fails the test.
/// </summary>
internal sealed class RawHttpConnection : IDisposable
{
    private readonly Socket _socket;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start, _end;

    private RawHttpConnection(Socket socket) => _socket = socket;

    /// <summary>Upper bound on any single wait; it bounds failures, tests never assert on it.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Our end's port, which the server sees as the peer's.</summary>
    public int LocalPort => ((IPEndPoint)_socket.LocalEndPoint!).Port;

    public static async Task<RawHttpConnection> OpenAsync(int port, string host = "127.0.0.1")
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Parse(host), port), cancel.Token);
            return new RawHttpConnection(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public async Task SendAsync(ReadOnlyMemory<byte> bytes)
    {
        using var cancel = new CancellationTokenSource(Timeout);
        while (!bytes.IsEmpty)
            bytes = bytes[await _socket.SendAsync(bytes, SocketFlags.None, cancel.Token)..];
    }

    public Task SendAsync(string text) => SendAsync(Encoding.UTF8.GetBytes(text));

    /// <summary>Sends a request with a Content-Length body (when given) and the usual Host header.</summary>
    public async Task SendRequestAsync(string method, string target, byte[]? body = null,
        string? contentType = null, IEnumerable<string>? extraHeaders = null)
    {
        var head = new StringBuilder($"{method} {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        if (contentType is not null)
            head.Append("Content-Type: ").Append(contentType).Append("\r\n");
        if (body is not null)
            head.Append("Content-Length: ").Append(body.Length).Append("\r\n");
        foreach (var header in extraHeaders ?? [])
            head.Append(header).Append("\r\n");
        head.Append("\r\n");
        await SendAsync(Encoding.ASCII.GetBytes(head.ToString()));
        if (body is not null)
            await SendAsync(body);
    }

    /// <summary>Reads the next final response (skipping 1xx interim ones) with its whole body.</summary>
    public async Task<RawHttpResponse> ReadResponseAsync(bool headRequest = false)
    {
        var interim = new List<int>();
        while (true)
        {
            var (version, status, reason, headers) = await ReadHeadAsync();
            if (status is >= 100 and < 200)
            {
                interim.Add(status);
                continue;
            }
            var chunks = new List<byte[]>();
            byte[] body;
            if (headRequest || status is 204 or 304)
                body = [];
            else if (headers.Any(h => h.Key.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)
                                      && h.Value.Contains("chunked", StringComparison.OrdinalIgnoreCase)))
                body = await ReadChunkedAsync(chunks);
            else if (headers.FirstOrDefault(h => h.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)).Value is { } length)
                body = await ReadExactlyAsync(long.Parse(length, CultureInfo.InvariantCulture));
            else
                body = await ReadToCloseAsync();
            return new RawHttpResponse { Version = version, Status = status, Reason = reason, Headers = headers, Body = body, Chunks = chunks, InterimStatuses = interim };
        }
    }

    /// <summary>True when the server has closed its side (the next read sees end of stream).</summary>
    public async Task<bool> IsClosedByPeerAsync()
    {
        if (_end > _start)
            return false;
        return !await FillAsync();
    }

    private async Task<(string Version, int Status, string Reason, List<KeyValuePair<string, string>> Headers)> ReadHeadAsync()
    {
        var statusLine = await ReadLineAsync() ?? throw new IOException("connection closed before a response");
        var parts = statusLine.Split(' ', 3);
        var headers = new List<KeyValuePair<string, string>>();
        while (await ReadLineAsync() is { Length: > 0 } line)
        {
            var colon = line.IndexOf(':');
            headers.Add(new(line[..colon].Trim(), line[(colon + 1)..].Trim()));
        }
        return (parts[0], int.Parse(parts[1], CultureInfo.InvariantCulture), parts.Length > 2 ? parts[2] : "", headers);
    }

    /// <summary>
    /// Reads the next final response's head only (skipping 1xx), for tests that follow a chunked body as it streams
    /// with <see cref="ReadChunkAsync"/>. Body and Chunks of the result are empty.
    /// </summary>
    public async Task<RawHttpResponse> ReadResponseHeadAsync()
    {
        while (true)
        {
            var (version, status, reason, headers) = await ReadHeadAsync();
            if (status is >= 100 and < 200)
                continue;
            return new RawHttpResponse { Version = version, Status = status, Reason = reason, Headers = headers, Body = [], Chunks = [], InterimStatuses = [] };
        }
    }

    /// <summary>
    /// The data of the next chunk of a chunked body, or null once the last (zero-size) chunk has arrived.
    /// Throws IOException when the connection ends before that: the body was cut short.
    /// </summary>
    public async Task<byte[]?> ReadChunkAsync()
    {
        var sizeLine = await ReadLineAsync() ?? throw new IOException("connection closed before the last chunk");
        var size = int.Parse(sizeLine.Split(';')[0].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        if (size == 0)
        {
            while (await ReadLineAsync() is { Length: > 0 })
            {
                // trailer fields, ignored
            }
            return null;
        }
        var chunk = await ReadExactlyAsync(size);
        if (await ReadLineAsync() is not "")
            throw new IOException("chunk not followed by CRLF");
        return chunk;
    }

    private async Task<byte[]> ReadChunkedAsync(List<byte[]> chunks)
    {
        using var body = new MemoryStream();
        while (await ReadChunkAsync() is { } chunk)
        {
            chunks.Add(chunk);
            body.Write(chunk);
        }
        return body.ToArray();
    }

    private async Task<byte[]> ReadExactlyAsync(long count)
    {
        var result = new byte[count];
        var filled = 0;
        while (filled < count)
        {
            if (_end == _start && !await FillAsync())
                throw new IOException($"connection closed after {filled} of {count} body bytes");
            var n = (int)Math.Min(count - filled, _end - _start);
            _buffer.AsSpan(_start, n).CopyTo(result.AsSpan(filled));
            _start += n;
            filled += n;
        }
        return result;
    }

    private async Task<byte[]> ReadToCloseAsync()
    {
        using var body = new MemoryStream();
        do
        {
            body.Write(_buffer, _start, _end - _start);
            _start = _end;
        } while (await FillAsync());
        return body.ToArray();
    }

    private async Task<string?> ReadLineAsync()
    {
        while (true)
        {
            var lf = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
            if (lf >= 0)
            {
                var line = Encoding.Latin1.GetString(_buffer, _start, lf).TrimEnd('\r');
                _start += lf + 1;
                return line;
            }
            if (!await FillAsync())
                return null;
        }
    }

    private async Task<bool> FillAsync()
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length)
            throw new IOException("response line or header longer than the test client's buffer");
        using var cancel = new CancellationTokenSource(Timeout);
        try
        {
            var read = await _socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, cancel.Token);
            _end += read;
            return read > 0;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            return false;
        }
    }

    /// <summary>Ends the connection with a reset (RST) instead of a FIN: a client that vanished mid-request.</summary>
    public void Reset()
    {
        _socket.LingerState = new LingerOption(true, 0);
        _socket.Close();
    }

    public void Dispose() => _socket.Dispose();
}

/// <summary>One request on a fresh connection: the short form most tests want.</summary>
internal static class RawHttp
{
    public static Task<RawHttpResponse> GetAsync(int port, string target) => SendAsync(port, "GET", target);

    public static Task<RawHttpResponse> PostJsonAsync(int port, string target, string json) =>
        SendAsync(port, "POST", target, Encoding.UTF8.GetBytes(json), "application/json");

    public static async Task<RawHttpResponse> SendAsync(int port, string method, string target, byte[]? body = null,
        string? contentType = null, IEnumerable<string>? extraHeaders = null)
    {
        using var connection = await RawHttpConnection.OpenAsync(port);
        await connection.SendRequestAsync(method, target, body, contentType, extraHeaders);
        return await connection.ReadResponseAsync(headRequest: method == "HEAD");
    }
}
