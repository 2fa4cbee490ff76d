using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using TinySwap.Config;
using TinySwap.Http.Transport;

namespace TinySwap.Http.Server;

/// <summary>Accepts connections on every listen address and runs an <see cref="HttpConnection"/> for each.</summary>
internal sealed class HttpServer : IAsyncDisposable
{
    private HttpServerOptions _options;
    private readonly IHttpHandler _handler;
    private readonly ILogger _logger;
    private readonly Heartbeat _heartbeat;
    private readonly bool _ownsHeartbeat;
    private readonly Lock _listenersLock = new();
    private List<Listener> _listeners = [];
    private readonly ConcurrentDictionary<HttpConnection, byte> _connections = new(ReferenceEqualityComparer.Instance);
    private int _connectionCount;
    private readonly TaskCompletionSource _allClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stopping = new();
    private readonly IdleMemoryTrim? _memoryTrim;
    private readonly LogRateLimiter _refusalWarnings = new(TimeSpan.FromSeconds(1));

    /// <param name="heartbeat">Shared with the upstream client to keep one timer per process; owned by the caller.
    /// When null the server runs its own at <see cref="HttpServerOptions.HeartbeatInterval"/>.</param>
    public HttpServer(HttpServerOptions options, IHttpHandler handler, ILogger logger, Heartbeat? heartbeat = null)
    {
        _options = options;
        _handler = handler;
        _logger = logger;
        _ownsHeartbeat = heartbeat is null;
        _heartbeat = heartbeat ?? new Heartbeat(options.HeartbeatInterval);
        if (options.TrimMemoryWhenIdle)
            _memoryTrim = new IdleMemoryTrim();
    }

    /// <summary>The bound endpoints (with the real port when the address asked for port 0).</summary>
    public IReadOnlyList<IPEndPoint> EndPoints
    {
        get
        {
            lock (_listenersLock)
                return _listeners.ConvertAll(l => (IPEndPoint)l.Socket.LocalEndPoint!);
        }
    }

    public int ConnectionCount => Volatile.Read(ref _connectionCount);

    /// <summary>Binds every listen address, or throws (IOException) with the address that failed.</summary>
    public void Start()
    {
        var listeners = BindAll(_options.Listen);
        lock (_listenersLock)
            _listeners = listeners;
        foreach (var listener in listeners)
            StartAccepting(listener);
        if (_memoryTrim is not null)
            _heartbeat.Register(_memoryTrim);
    }

    /// <summary>
    /// Moves to a new set of listen addresses (a config reload): binds the addresses not bound yet first, and only when
    /// all of them bind closes the listeners no longer listed. Connections already accepted are not touched, so
    /// in-flight requests finish on them. On a bind failure nothing changes and the failure is returned.
    /// </summary>
    public async Task<string?> UpdateListenAsync(IReadOnlyList<string> listen)
    {
        if (_stopping.IsCancellationRequested)
            return "the server is stopping";
        List<Listener> current;
        lock (_listenersLock)
            current = [.. _listeners];
        // A HashSet, not LINQ's Contains over IReadOnlyList: that generic interface call made the AOT compiler emit
        // Array.IndexOf for every array type in the program (59 KB measured).
        var wanted = new HashSet<string>(listen, StringComparer.Ordinal);
        var kept = current.FindAll(l => wanted.Contains(l.Address));
        var closing = current.FindAll(l => !wanted.Contains(l.Address));
        var toBind = new List<string>();
        foreach (var address in listen)
        {
            if (!current.Exists(l => l.Address == address) && !toBind.Contains(address))
                toBind.Add(address);
        }
        List<Listener> added;
        try
        {
            added = BindAll(toBind);
        }
        catch (IOException ex)
        {
            return ex.Message;
        }
        lock (_listenersLock)
            _listeners = [.. kept, .. added];
        foreach (var listener in added)
            StartAccepting(listener);
        foreach (var listener in closing)
            listener.Close();
        await Task.WhenAll(closing.ConvertAll(l => l.AcceptLoop));
        return null;
    }

    /// <summary>New limits for connections accepted from now on; open connections keep the options they started with.</summary>
    public void UpdateLimits(HttpLimits limits) => Volatile.Write(ref _options, _options with { Limits = limits });

    // All or nothing: a failure disposes what this call bound before rethrowing.
    private static List<Listener> BindAll(IReadOnlyList<string> addresses)
    {
        var bound = new List<Listener>();
        try
        {
            foreach (var address in addresses)
            {
                // The config and the command line were parsed by the same code; an address that fails here is a start failure.
                if (!ListenAddress.TryParse(address, out var parsed, out var error))
                    throw new IOException("cannot listen: " + error);
                foreach (var endPoint in parsed.EndPoints())
                    bound.Add(new Listener(address, Bind(endPoint, address)));
            }
            return bound;
        }
        catch
        {
            foreach (var listener in bound)
                listener.Close();
            throw;
        }
    }

    private void StartAccepting(Listener listener)
    {
        HttpLog.Listening(_logger, listener.Socket.LocalEndPoint!);
        listener.AcceptLoop = AcceptLoopAsync(listener);
    }

    /// <summary>One bound socket of a listen address, and the loop accepting on it.</summary>
    private sealed class Listener(string address, Socket socket)
    {
        private volatile bool _closed;

        public string Address { get; } = address;
        public Socket Socket { get; } = socket;
        public Task AcceptLoop { get; set; } = Task.CompletedTask;
        public bool IsClosed => _closed;

        public void Close()
        {
            _closed = true;
            Socket.Dispose();
        }
    }

    private static Socket Bind(IPEndPoint endPoint, string address)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (endPoint.Address.Equals(IPAddress.IPv6Any))
                socket.DualMode = true;
            // Lets a restarted server bind while old connections sit in TIME_WAIT.
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(endPoint);
            socket.Listen(512);
            return socket;
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            throw new IOException($"cannot listen on {address} ({endPoint}): {ex.Message}", ex);
        }
    }

    private async Task AcceptLoopAsync(Listener listener)
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.Socket.AcceptAsync();
            }
            catch (Exception ex) when (IoFailure.IsConnectionFailure(ex))
            {
                if (_stopping.IsCancellationRequested || listener.IsClosed)
                    return;
                HttpLog.AcceptFailed(_logger, listener.Socket.LocalEndPoint!, ex);
                continue;
            }
            var maxConnections = Volatile.Read(ref _options).Limits.MaxConnections;
            if (Interlocked.Increment(ref _connectionCount) > maxConnections)
            {
                ConnectionEnded();
                if (_refusalWarnings.Record(Environment.TickCount64) is var refused and > 0)
                    HttpLog.ConnectionLimitReached(_logger, maxConnections, refused);
                _ = RefuseAsync(socket);
                continue;
            }
            _ = RunConnectionAsync(socket);
        }
    }

    private async Task RunConnectionAsync(Socket socket)
    {
        SocketConnection transport;
        try
        {
            transport = new SocketConnection(socket);
        }
        catch (IOException ex)
        {
            // epoll would not take it (fs.epoll.max_user_watches): this connection is lost, the server goes on.
            HttpLog.ConnectionNotWatched(_logger, socket.RemoteEndPoint, ex.Message);
            socket.Dispose();
            ConnectionEnded();
            return;
        }
        // Accepts complete on the runtime's thread; the connection lives on our event loop's (ReadinessLoop.SwitchTo).
        await ReadinessLoop.SwitchTo();
        var connection = new HttpConnection(transport, Volatile.Read(ref _options), _handler, _heartbeat, _logger, _stopping.Token);
        _connections.TryAdd(connection, 0);
        try
        {
            transport.Start();
            await connection.RunAsync();
        }
        finally
        {
            _connections.TryRemove(connection, out _);
            ConnectionEnded();
        }
    }

    private static readonly byte[] s_overloaded = BuildOverloadedResponse();

    private static byte[] BuildOverloadedResponse()
    {
        const string body = """{"error":{"message":"too many connections","type":"server_error","code":503}}""";
        return Encoding.ASCII.GetBytes(
            "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nRetry-After: 1\r\n" +
            $"Content-Length: {body.Length}\r\nConnection: close\r\n\r\n{body}");
    }

    /// <summary>Over the connection cap: a canned 503, FIN, and a short lingering read so the client sees it.</summary>
    private async Task RefuseAsync(Socket socket)
    {
        using (socket)
        {
            try
            {
                await socket.SendAsync(s_overloaded, SocketFlags.None);
                socket.Shutdown(SocketShutdown.Send);
                using var linger = new CancellationTokenSource(_options.LingerTimeout);
                var discard = new byte[1024];
                while (await socket.ReceiveAsync(discard, SocketFlags.None, linger.Token) > 0)
                {
                }
            }
            catch (Exception ex) when (IoFailure.IsConnectionFailure(ex))
            {
            }
        }
    }

    /// <summary>Stops accepting, lets in-flight requests finish within ShutdownTimeout, then resets what is left.</summary>
    public async Task StopAsync()
    {
        if (_stopping.IsCancellationRequested)
            return;
        // Every connection sees this at once: idle ones close, busy ones answer with Connection: close.
        _stopping.Cancel();
        if (_memoryTrim is not null)
            _heartbeat.Unregister(_memoryTrim);
        List<Listener> listeners;
        lock (_listenersLock)
            listeners = [.. _listeners];
        foreach (var listener in listeners)
            listener.Close();
        await Task.WhenAll(listeners.ConvertAll(l => l.AcceptLoop));
        if (Volatile.Read(ref _connectionCount) == 0)
            _allClosed.TrySetResult();
        try
        {
            await _allClosed.Task.WaitAsync(_options.ShutdownTimeout);
        }
        catch (TimeoutException)
        {
            foreach (var connection in _connections.Keys)
                connection.Abort();
            // An aborted connection ends at once unless something in it ignores the abort (a bug); the stop must end
            // regardless, or one such connection keeps the whole process from exiting (issue 10).
            try
            {
                await _allClosed.Task.WaitAsync(_options.ShutdownTimeout);
            }
            catch (TimeoutException)
            {
                HttpLog.ConnectionsOutlivedStop(_logger, ConnectionCount);
            }
        }
        if (_ownsHeartbeat)
            _heartbeat.Dispose();
    }

    /// <summary>Once stopping, the last connection to end completes the shutdown's wait (no polling).</summary>
    private void ConnectionEnded()
    {
        if (Interlocked.Decrement(ref _connectionCount) == 0 && _stopping.IsCancellationRequested)
            _allClosed.TrySetResult();
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
