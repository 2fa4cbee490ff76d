using System.Net;
using TinySwap.Http.Parsing;
using TinySwap.Http.Transport;
using TinySwap.Observability;

namespace TinySwap.Http.Server;

/// <summary>
/// One request and its response as the handler sees them. The object belongs to its connection and is reused for
/// the next request: do not keep it, or any span it gave out, after <see cref="IHttpHandler.HandleAsync"/> returns.
/// </summary>
internal sealed class HttpExchange
{
    private readonly HttpConnection _connection;
    private object? _scratch;

    internal HttpExchange(HttpConnection connection, RequestHead request, MessageBodyReader requestBody, ResponseWriter response)
    {
        _connection = connection;
        Request = request;
        RequestBody = requestBody;
        Response = response;
        Trace = new RequestTrace(connection.Abort);
    }

    /// <summary>What the layers learn about this request as it runs, for metrics, the activity list and the access log.</summary>
    public RequestTrace Trace { get; }

    /// <summary>Method, target, version and fields, as spans over the connection's buffer.</summary>
    public RequestHead Request { get; }

    /// <summary>The decoded request body (Content-Length or chunked); empty and completed when there is none.</summary>
    public MessageBodyReader RequestBody { get; }

    public ResponseWriter Response { get; }

    public IPEndPoint? RemoteEndPoint => _connection.RemoteEndPoint;

    /// <summary>
    /// The handler's one <typeparamref name="T"/> for this connection: made on the first request that asks, then kept for
    /// the connection's next requests (which never overlap), so per-request scratch objects are not made per request.
    /// The handler resets what it uses; one connection holds one such object at a time.
    /// </summary>
    public T Scratch<T>() where T : class, new() => _scratch as T ?? (T)(_scratch = new T());

    /// <summary>Fires when the client disconnects (or the connection is aborted): stop work done for this request.</summary>
    public CancellationToken Aborted => _connection.Closed;

    /// <summary>
    /// Sends <c>101 Switching Protocols</c> (with the fields added to <see cref="Response"/>) once the returned side's
    /// output is flushed, and hands over the connection's raw bytes until the handler returns; null when the request
    /// cannot switch (HTTP/1.0, a request body, a response already started, the server stopping).
    /// </summary>
    public ITunnelSide? SwitchProtocols(ReadOnlySpan<byte> protocol) => _connection.SwitchProtocols(protocol);

    /// <summary>Resets the connection: for a response that cannot be finished, so it never looks complete.</summary>
    public void Abort() => _connection.Abort();
}
