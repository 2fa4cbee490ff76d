using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text;
using TinySwap.Http.Parsing;
using TinySwap.Http.Transport;

namespace TinySwap.Http.Upstream;

/// <summary>The answer to a health probe: the status code, or 0 and why there was none.</summary>
internal readonly record struct UpstreamProbeResult(int StatusCode, string? Error)
{
    public bool IsSuccess => StatusCode is >= 200 and < 300;
}

/// <summary>
/// Our HTTP/1.1 client for upstreams: one <see cref="UpstreamPool"/> per upstream address, a shared heartbeat
/// closing idle connections, and a small GET for health probes.
/// </summary>
internal sealed class UpstreamClient : IAsyncDisposable
{
    private const int MaxProbeBodyBytes = 1024 * 1024;

    private readonly ConcurrentDictionary<(Uri Address, UpstreamEndpoint? Endpoint), UpstreamPool> _pools = new();
    // The same pools by Uri instance, for the per-request lookup of a model's address: a Uri's hash is computed over
    // its string on every call (Marvin, ~0.5% of a proxied request), an object's identity is not. Weak, so the Uris of
    // configs replaced by reloads go with them.
    private readonly ConditionalWeakTable<Uri, UpstreamPool> _poolsByInstance = new();
    private readonly Heartbeat _heartbeat;
    private readonly bool _ownsHeartbeat;

    /// <param name="heartbeat">Shared with the server to keep one timer per process; owned by the caller.</param>
    public UpstreamClient(UpstreamClientOptions? options = null, Heartbeat? heartbeat = null)
    {
        Options = options ?? new UpstreamClientOptions();
        _ownsHeartbeat = heartbeat is null;
        _heartbeat = heartbeat ?? new Heartbeat(Options.HeartbeatInterval);
    }

    public UpstreamClientOptions Options { get; }

    /// <summary>
    /// The pool for an upstream address (scheme, host, port, optional path prefix) and its own settings, if any (equal
    /// settings share a pool). Cache it per model.
    /// </summary>
    public UpstreamPool GetPool(Uri address, UpstreamEndpoint? endpoint = null)
    {
        if (endpoint is null && _poolsByInstance.TryGetValue(address, out var known))
            return known;
        var pool = _pools.GetOrAdd((address, endpoint), static (key, client) =>
        {
            var pool = new UpstreamPool(key.Address, client.Options, key.Endpoint);
            client._heartbeat.Register(pool);
            return pool;
        }, this);
        if (endpoint is null)
            _poolsByInstance.TryAdd(address, pool);
        return pool;
    }

    /// <summary>
    /// GET <paramref name="url"/> and report its status; the body is read and dropped (up to 1 MiB). Never throws for
    /// network or protocol trouble — that is what a probe is for; it reports it instead.
    /// </summary>
    public ValueTask<UpstreamProbeResult> GetAsync(Uri url, TimeSpan timeout, CancellationToken cancellationToken) =>
        ExchangeAsync("GET", url, null, timeout, cancellationToken);

    /// <summary>POST a small JSON body (llama-server's slot actions) and report the status, as <see cref="GetAsync"/> does.</summary>
    public ValueTask<UpstreamProbeResult> PostJsonAsync(Uri url, byte[] json, TimeSpan timeout, CancellationToken cancellationToken) =>
        ExchangeAsync("POST", url, json, timeout, cancellationToken);

    private async ValueTask<UpstreamProbeResult> ExchangeAsync(string method, Uri url, byte[]? body, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var pool = GetPool(new Uri(url.GetLeftPart(UriPartial.Authority)));
        UpstreamConnection? connection = null;
        try
        {
            connection = await pool.RentAsync(fresh: false, deadline.Token);
            using var abort = deadline.Token.UnsafeRegister(static c => ((UpstreamConnection)c!).Abort(), connection);
            var content = body is null ? "" : $"Content-Type: application/json\r\nContent-Length: {body.Length}\r\n";
            var request = $"{method} {url.PathAndQuery} HTTP/1.1\r\nHost: {Encoding.ASCII.GetString(pool.HostHeaderValue)}\r\n{content}\r\n";
            connection.Output.Write(Encoding.ASCII.GetBytes(request));
            if (body is not null)
                connection.Output.Write(body);
            await connection.Output.FlushAsync(deadline.Token);
            var head = await connection.ReadResponseHeadAsync(requestWasHead: false, deadline.Token);
            if (head != ResponseHeadStatus.Received)
                return Fail(ref connection, head == ResponseHeadStatus.Malformed ? $"malformed response: {HttpRejections.Describe(connection.Rejection)}" : "connection closed");
            var response = connection.ResponseBody;
            long read = 0;
            while (!response.IsCompleted && read <= MaxProbeBodyBytes)
            {
                var result = await response.ReadAsync(deadline.Token);
                read += result.Buffer.Length;
                response.AdvanceTo(result.Buffer.End);
            }
            var status = connection.Response.StatusCode;
            if (response.IsCompleted && connection.Response.KeepAlive && !deadline.IsCancellationRequested)
                pool.Return(connection);
            else
                UpstreamPool.Discard(connection);
            return new UpstreamProbeResult(status, null);
        }
        catch (Exception ex) when (IoFailure.IsConnectionFailure(ex))
        {
            var reason = deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested ? "timed out" : ex.Message;
            return Fail(ref connection, reason);
        }
    }

    private static UpstreamProbeResult Fail(ref UpstreamConnection? connection, string error)
    {
        if (connection is not null)
            UpstreamPool.Discard(connection);
        connection = null;
        return new UpstreamProbeResult(0, error);
    }

    public ValueTask DisposeAsync()
    {
        foreach (var pool in _pools.Values)
        {
            _heartbeat.Unregister(pool);
            pool.CloseIdle();
        }
        if (_ownsHeartbeat)
            _heartbeat.Dispose();
        return ValueTask.CompletedTask;
    }
}
