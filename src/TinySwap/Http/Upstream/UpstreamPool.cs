using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text;
using TinySwap.Http.Transport;

namespace TinySwap.Http.Upstream;

/// <summary>Connecting to an upstream failed (refused, unreachable, or no answer within ConnectTimeout).</summary>
internal sealed class UpstreamConnectException(string message, bool timedOut, Exception? inner = null) : IOException(message, inner)
{
    public bool TimedOut { get; } = timedOut;
}

/// <summary>
/// Keep-alive connections to one upstream address (e.g. http://127.0.0.1:5800, or https:// through TLS). Idle connections
/// are reused newest first and closed after IdleTimeout by the shared heartbeat.
/// </summary>
internal sealed class UpstreamPool : IHeartbeatTarget
{
    // Used as a stack (newest last, taken first); the heartbeat removes expired ones from anywhere in it.
    private readonly List<UpstreamConnection> _idle = [];
    private readonly UpstreamClientOptions _options;
    private readonly EndPoint _endPoint;
    private readonly UpstreamTls? _tls;
    private readonly TimeSpan? _tcpKeepAlive;

    /// <param name="endpoint">This upstream's own timeouts and trust (a peer's); null: the client's options as they are.</param>
    public UpstreamPool(Uri address, UpstreamClientOptions options, UpstreamEndpoint? endpoint = null)
    {
        if (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps)
            throw new ArgumentException($"upstream {address}: only http:// and https:// are supported");
        _options = endpoint?.ApplyTo(options) ?? options;
        _tcpKeepAlive = endpoint?.TcpKeepAlive;
        if (address.Scheme == Uri.UriSchemeHttps)
            _tls = new UpstreamTls(address, endpoint?.CaFile);
        Address = address;
        HostHeaderValue = Encoding.ASCII.GetBytes(address.IsDefaultPort ? address.IdnHost : $"{address.IdnHost}:{address.Port}");
        var prefix = address.AbsolutePath.TrimEnd('/');
        PathPrefix = Encoding.ASCII.GetBytes(prefix);
        _endPoint = IPAddress.TryParse(address.IdnHost.Trim('[', ']'), out var ip)
            ? new IPEndPoint(ip, address.Port)
            : new DnsEndPoint(address.IdnHost, address.Port);
    }

    public Uri Address { get; }

    /// <summary>The Host field value the upstream gets (RFC 9110 §7.2: the authority of the target URI).</summary>
    public byte[] HostHeaderValue { get; }

    /// <summary>The address's path without a trailing slash ("" when none), put in front of every forwarded target.</summary>
    public byte[] PathPrefix { get; }

    public int IdleCount
    {
        get
        {
            lock (_idle)
                return _idle.Count;
        }
    }

    /// <summary>Idle connections the upstream has not closed (as far as we have noticed).</summary>
    public int OpenIdleCount
    {
        get
        {
            lock (_idle)
                return _idle.Count(c => !c.IsClosed);
        }
    }

    /// <summary>
    /// A usable idle connection, or a new one when <paramref name="fresh"/> or none is left. Idle connections the
    /// upstream has closed meanwhile are thrown away here, before any request byte is written to them.
    /// </summary>
    [AsyncMethodBuilder(typeof(DeepPoolingValueTaskMethodBuilder<>))]
    public async ValueTask<UpstreamConnection> RentAsync(bool fresh, CancellationToken cancellationToken)
    {
        while (!fresh)
        {
            UpstreamConnection idle;
            lock (_idle)
            {
                if (_idle.Count == 0)
                    break;
                idle = _idle[^1];
                _idle.RemoveAt(_idle.Count - 1);
            }
            if (idle.IsUsableWhenIdle())
            {
                idle.IsReused = true;
                return idle;
            }
            _ = idle.DisposeAsync();
        }
        return await ConnectAsync(cancellationToken);
    }

    private async ValueTask<UpstreamConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.ConnectTimeout);
        Socket socket;
        SocketReadiness readiness;
        try
        {
            (socket, readiness) = await TcpConnector.ConnectAsync(_endPoint, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new UpstreamConnectException($"connecting to {Address} timed out after {_options.ConnectTimeout.TotalSeconds:0.#} s", timedOut: true);
        }
        catch (SocketException ex)
        {
            throw new UpstreamConnectException($"connecting to {Address} failed: {ex.SocketErrorCode}", timedOut: false, ex);
        }
        try
        {
            EnableKeepAlive(socket);
            if (_tls is null)
                return new UpstreamConnection(socket, null, readiness, this, _options);
            var session = await _tls.AuthenticateAsync(new ReadinessStream(readiness), Address, _options.TlsHandshakeTimeout, cancellationToken);
            return new UpstreamConnection(socket, session, readiness, this, _options);
        }
        catch
        {
            readiness.Close();
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// TCP keep-alive probes (a peer's `timeouts.keepalive`) notice a peer host that vanished while a long generation
    /// sends nothing, which no read timeout could tell from a model that is thinking.
    /// </summary>
    private void EnableKeepAlive(Socket socket)
    {
        if (_tcpKeepAlive is not { } interval || interval <= TimeSpan.Zero)
            return;
        var seconds = Math.Max(1, (int)interval.TotalSeconds);
        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
        socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime, seconds);
        socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval, seconds);
    }

    /// <summary>Takes back a connection whose exchange ended cleanly (request sent, response read to its end, keep-alive).</summary>
    public void Return(UpstreamConnection connection)
    {
        connection.IdleSince = Heartbeat.Now;
        lock (_idle)
        {
            if (_idle.Count < _options.MaxIdlePerUpstream && !connection.IsClosed)
            {
                _idle.Add(connection);
                return;
            }
        }
        _ = connection.DisposeAsync();
    }

    /// <summary>Closes a connection that must not be reused (broken framing, aborted exchange, upstream said close).</summary>
    public static void Discard(UpstreamConnection connection)
    {
        connection.Abort();
        _ = connection.DisposeAsync();
    }

    void IHeartbeatTarget.OnHeartbeat(long nowMilliseconds)
    {
        var keepForever = _options.IdleTimeout == Timeout.InfiniteTimeSpan;
        var cutoff = nowMilliseconds - (long)_options.IdleTimeout.TotalMilliseconds;
        List<UpstreamConnection>? expired = null;
        lock (_idle)
        {
            for (var i = _idle.Count - 1; i >= 0; i--)
            {
                var connection = _idle[i];
                if ((keepForever || connection.IdleSince > cutoff) && !connection.IsClosed)
                    continue;
                (expired ??= []).Add(connection);
                _idle.RemoveAt(i);
            }
        }
        if (expired is null)
            return;
        foreach (var connection in expired)
            _ = connection.DisposeAsync();
    }

    internal void CloseIdle()
    {
        lock (_idle)
        {
            foreach (var connection in _idle)
                _ = connection.DisposeAsync();
            _idle.Clear();
        }
    }
}
