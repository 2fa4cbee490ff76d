using System.Net;
using System.Net.Sockets;
using System.Text;

namespace TinySwap.Tests.Http.Support;

/// <summary>A response as a raw-socket client saw it.</summary>
internal sealed record RawResponse(int Status, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[] Body)
{
    public string? Header(string name) =>
        Headers.Where(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).FirstOrDefault();

    public string BodyText => Encoding.UTF8.GetString(Body);
}

/// <summary>
/// Speaks raw bytes to a server over a real socket and reads responses with a deliberately simple parser of its own,
/// so a parser bug on the server side cannot hide behind the same bug here.
/// </summary>
internal sealed class RawClient : IDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly Socket _socket;
    private readonly List<byte> _buffered = [];

    private RawClient(Socket socket) => _socket = socket;

    public Socket Socket => _socket;

    public static RawClient Connect(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        socket.Connect(new IPEndPoint(IPAddress.Loopback, port));
        return new RawClient(socket);
    }

    public Task SendAsync(string text) => SendAsync(Encoding.Latin1.GetBytes(text));

    public async Task SendAsync(byte[] bytes) => await _socket.SendAsync(bytes, SocketFlags.None);

    /// <summary>Reads one response (Content-Length, chunked, or until close); skips 1xx unless asked for them.</summary>
    public async Task<RawResponse> ReadResponseAsync(bool headRequest = false, bool keepInterim = false)
    {
        while (true)
        {
            var headText = Encoding.Latin1.GetString(await ReadUntilAsync("\r\n\r\n"u8.ToArray()));
            var lines = headText.Split("\r\n");
            var status = int.Parse(lines[0].Split(' ')[1]);
            var headers = lines.Skip(1).Where(l => l.Length > 0)
                .Select(l => new KeyValuePair<string, string>(l[..l.IndexOf(':')], l[(l.IndexOf(':') + 1)..].Trim())).ToList();
            if (status < 200 && !keepInterim)
                continue;
            var response = new RawResponse(status, headers, []);
            if (status < 200 || headRequest || status is 204 or 304)
                return response;
            if (response.Header("Content-Length") is { } length)
                return response with { Body = await ReadExactlyAsync(int.Parse(length)) };
            if (response.Header("Transfer-Encoding") is "chunked")
                return response with { Body = await ReadChunkedAsync() };
            return response with { Body = await ReadToEndAsync() };
        }
    }

    private async Task<byte[]> ReadChunkedAsync()
    {
        var body = new List<byte>();
        while (true)
        {
            var sizeLine = Encoding.ASCII.GetString(await ReadUntilAsync("\r\n"u8.ToArray()));
            var size = Convert.ToInt32(sizeLine.Trim().Split(';')[0], 16);
            if (size == 0)
            {
                await ReadUntilAsync("\r\n"u8.ToArray());
                return body.ToArray();
            }
            body.AddRange(await ReadExactlyAsync(size));
            await ReadExactlyAsync(2);
        }
    }

    public async Task<byte[]> ReadUntilAsync(byte[] delimiter)
    {
        while (true)
        {
            var index = IndexOf(_buffered, delimiter);
            if (index >= 0)
            {
                var result = _buffered.GetRange(0, index + delimiter.Length).ToArray();
                _buffered.RemoveRange(0, index + delimiter.Length);
                return result;
            }
            if (!await FillAsync())
                throw new EndOfStreamException("connection closed while waiting for " + Encoding.ASCII.GetString(delimiter).Replace("\r\n", "CRLF"));
        }
    }

    public async Task<byte[]> ReadExactlyAsync(int count)
    {
        while (_buffered.Count < count)
        {
            if (!await FillAsync())
                throw new EndOfStreamException($"connection closed after {_buffered.Count} of {count} bytes");
        }
        var result = _buffered.GetRange(0, count).ToArray();
        _buffered.RemoveRange(0, count);
        return result;
    }

    /// <summary>Everything until the server closes (a reset counts as a close).</summary>
    public async Task<byte[]> ReadToEndAsync()
    {
        while (await FillAsync())
        {
        }
        var result = _buffered.ToArray();
        _buffered.Clear();
        return result;
    }

    /// <summary>True when the server closes the connection (FIN or reset) within the patience window.</summary>
    public async Task<bool> IsClosedByServerAsync()
    {
        try
        {
            return (await ReadToEndAsync()).Length == 0;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private async Task<bool> FillAsync()
    {
        var chunk = new byte[8192];
        using var timeout = new CancellationTokenSource(Patience);
        int received;
        try
        {
            received = await _socket.ReceiveAsync(chunk, SocketFlags.None, timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException("no bytes from the server within " + Patience);
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionReset)
        {
            return false;
        }
        _buffered.AddRange(chunk.AsSpan(0, received).ToArray());
        return received > 0;
    }

    private static int IndexOf(List<byte> haystack, byte[] needle)
    {
        for (var i = 0; i + needle.Length <= haystack.Count; i++)
        {
            var match = true;
            for (var j = 0; j < needle.Length && match; j++)
                match = haystack[i + j] == needle[j];
            if (match)
                return i;
        }
        return -1;
    }

    public void Dispose() => _socket.Dispose();
}
