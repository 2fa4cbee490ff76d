using System.Net;
using System.Net.Sockets;
using System.Text;

namespace TinySwap.Tests.Http.Support;

/// <summary>A request as the fake upstream read it.</summary>
internal sealed record UpstreamRequest(string Method, string Target, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[] Body)
{
    public string? Header(string name) =>
        Headers.Where(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).FirstOrDefault();

    public string BodyText => Encoding.UTF8.GetString(Body);
}

/// <summary>
/// A raw-socket upstream scripted byte by byte: each accepted connection runs the test's script, which reads requests
/// and writes whatever bytes (valid or not) the test wants.
/// </summary>
internal sealed class ScriptedUpstream : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly Func<UpstreamPeer, Task> _script;
    private readonly List<Task> _connections = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;
    private int _accepted;

    /// <param name="port">0 for an ephemeral port; a given one when the address had to be known before listening.</param>
    public ScriptedUpstream(Func<UpstreamPeer, Task> script, int port = 0)
    {
        _script = script;
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, port));
        _listener.Listen(64);
        Port = ((IPEndPoint)_listener.LocalEndPoint!).Port;
        _acceptLoop = AcceptLoopAsync();
    }

    public int Port { get; }
    public Uri Address => new($"http://127.0.0.1:{Port}");
    public int Accepted => Volatile.Read(ref _accepted);

    /// <summary>Script failures, surfaced by tests that care.</summary>
    public List<Exception> Errors { get; } = [];

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            var number = Interlocked.Increment(ref _accepted);
            lock (_connections)
                _connections.Add(RunAsync(new UpstreamPeer(socket, number)));
        }
    }

    private async Task RunAsync(UpstreamPeer peer)
    {
        using (peer)
        {
            try
            {
                await _script(peer);
            }
            catch (Exception ex)
            {
                lock (Errors)
                    Errors.Add(ex);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Dispose();
        await _acceptLoop;
        Task[] running;
        lock (_connections)
            running = [.. _connections];
        await Task.WhenAny(Task.WhenAll(running), Task.Delay(RawClient.Patience));
    }
}

/// <summary>One connection accepted by <see cref="ScriptedUpstream"/>.</summary>
internal sealed class UpstreamPeer(Socket socket, int number) : IDisposable
{
    private readonly List<byte> _buffered = [];

    /// <summary>1 for the first connection accepted, 2 for the second...</summary>
    public int Number { get; } = number;

    public Socket Socket { get; } = socket;

    /// <summary>Reads one request (Content-Length or chunked body); null when the client closed first.</summary>
    public async Task<UpstreamRequest?> ReadRequestAsync()
    {
        var head = await ReadUntilAsync("\r\n\r\n"u8.ToArray());
        if (head is null)
            return null;
        var lines = Encoding.Latin1.GetString(head).Split("\r\n");
        var parts = lines[0].Split(' ');
        var headers = lines.Skip(1).Where(l => l.Length > 0)
            .Select(l => new KeyValuePair<string, string>(l[..l.IndexOf(':')], l[(l.IndexOf(':') + 1)..].Trim())).ToList();
        var request = new UpstreamRequest(parts[0], parts[1], headers, []);
        if (request.Header("Content-Length") is { } length)
            return request with { Body = await ReadExactlyAsync(int.Parse(length)) };
        if (request.Header("Transfer-Encoding") is "chunked")
        {
            var body = new List<byte>();
            while (true)
            {
                var size = Convert.ToInt32(Encoding.ASCII.GetString((await ReadUntilAsync("\r\n"u8.ToArray()))!).Trim(), 16);
                if (size == 0)
                {
                    await ReadUntilAsync("\r\n"u8.ToArray());
                    return request with { Body = body.ToArray() };
                }
                body.AddRange(await ReadExactlyAsync(size));
                await ReadExactlyAsync(2);
            }
        }
        return request;
    }

    public Task SendAsync(string text) => SendAsync(Encoding.Latin1.GetBytes(text));

    public async Task SendAsync(byte[] bytes) => await Socket.SendAsync(bytes, SocketFlags.None);

    /// <summary>Completes when the other side closes or resets the connection (what "llama-server saw the client leave" means).</summary>
    public async Task WaitForEofAsync()
    {
        var buffer = new byte[4096];
        try
        {
            while (await Socket.ReceiveAsync(buffer, SocketFlags.None) > 0)
            {
            }
        }
        catch (SocketException)
        {
        }
    }

    /// <summary>Ends the connection with a reset instead of a FIN.</summary>
    public void Reset()
    {
        Socket.LingerState = new LingerOption(true, 0);
        Socket.Close();
    }

    private async Task<byte[]?> ReadUntilAsync(byte[] delimiter)
    {
        while (true)
        {
            for (var i = 0; i + delimiter.Length <= _buffered.Count; i++)
            {
                if (_buffered.Skip(i).Take(delimiter.Length).SequenceEqual(delimiter))
                {
                    var result = _buffered.GetRange(0, i + delimiter.Length).ToArray();
                    _buffered.RemoveRange(0, i + delimiter.Length);
                    return result;
                }
            }
            if (!await FillAsync())
                return null;
        }
    }

    private async Task<byte[]> ReadExactlyAsync(int count)
    {
        while (_buffered.Count < count)
        {
            if (!await FillAsync())
                throw new EndOfStreamException();
        }
        var result = _buffered.GetRange(0, count).ToArray();
        _buffered.RemoveRange(0, count);
        return result;
    }

    private async Task<bool> FillAsync()
    {
        var chunk = new byte[65536];
        using var timeout = new CancellationTokenSource(RawClient.Patience);
        int received;
        try
        {
            received = await Socket.ReceiveAsync(chunk, SocketFlags.None, timeout.Token);
        }
        catch (SocketException)
        {
            return false;
        }
        _buffered.AddRange(chunk.AsSpan(0, received).ToArray());
        return received > 0;
    }

    public void Dispose() => Socket.Dispose();
}
