using System.Buffers;
using System.Net;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using TinySwap.Http.Parsing;
using TinySwap.Http.Transport;

namespace TinySwap.Http.Server;

/// <summary>
/// One client connection: parses a request head, hands the exchange to the handler, finishes the response, and loops
/// while keep-alive holds. Requests on a connection are strictly sequential, so pipelined requests are answered in
/// order by construction. The objects behind the exchange are created once here and reused for every request.
/// </summary>
internal sealed partial class HttpConnection : IResponseOwner, IFirstBodyReadListener, IHeartbeatTarget
{
    private readonly SocketConnection _transport;
    private readonly HttpServerOptions _options;
    private readonly IHttpHandler _handler;
    private readonly Heartbeat _heartbeat;
    private readonly ILogger _logger;
    private readonly RequestHead _head;
    private readonly MessageBodyReader _body = new();
    private readonly ResponseWriter _response;
    private readonly HttpExchange _exchange;
    private readonly CancellationToken _serverStopping;

    public HttpConnection(SocketConnection transport, HttpServerOptions options, IHttpHandler handler, Heartbeat heartbeat, ILogger logger,
        CancellationToken serverStopping)
    {
        _serverStopping = serverStopping;
        _transport = transport;
        _options = options;
        _handler = handler;
        _heartbeat = heartbeat;
        _logger = logger;
        _head = new RequestHead(options.Limits.MaxHeaderCount);
        _response = new ResponseWriter(this);
        _exchange = new HttpExchange(this, _head, _body, _response);
    }

    public IPEndPoint? RemoteEndPoint => _transport.RemoteEndPoint;
    public CancellationToken Closed => _transport.Closed;

    /// <summary>Set when the server stops: close after the current response, or now if between requests.</summary>
    private bool Stopping => _serverStopping.IsCancellationRequested;

    private void OnServerStopping()
    {
        // Queued so the stopping thread does not run this connection's close inline (the pipe's reader is inline).
        if (_state is ConnectionState.Idle or ConnectionState.ReadingHead)
            ThreadPool.UnsafeQueueUserWorkItem(static connection => connection.CancelPendingRead(), this, preferLocal: false);
        // A switched connection (a WebSocket) has no response to finish: waiting would only hold the stop.
        else if (_switched)
            ThreadPool.UnsafeQueueUserWorkItem(static connection => connection.Abort(), this, preferLocal: false);
    }

    public void Abort() => _transport.Abort();

    public async Task RunAsync()
    {
        var graceful = true;
        _heartbeat.Register(this);
        using var stopping = _serverStopping.UnsafeRegister(static c => ((HttpConnection)c!).OnServerStopping(), this);
        try
        {
            SetDeadline(ConnectionState.ReadingHead, _options.Limits.HeadersTimeout);
            while (!Stopping)
            {
                var head = await ReadHeadAsync();
                if (head == HeadOutcome.Closed)
                    break;
                if (head == HeadOutcome.Rejected)
                {
                    await RejectAsync(_rejection);
                    break;
                }
                if (!await ProcessRequestAsync())
                {
                    graceful = !_transport.IsClosed;
                    break;
                }
                SetDeadline(ConnectionState.Idle, _options.Limits.KeepAliveTimeout);
            }
        }
        catch (Exception ex)
        {
            // The client vanished mid-write, or a bug: either way this connection is done.
            graceful = false;
            HttpLog.ConnectionFailed(_logger, RemoteEndPoint, ex);
        }
        finally
        {
            try
            {
                await CloseAsync(graceful);
            }
            finally
            {
                // Only now: the heartbeat is what ends the linger when a client keeps its side open after our FIN.
                _heartbeat.Unregister(this);
            }
        }
    }

    /// <summary>Runs one request; false when the connection cannot carry another.</summary>
    [AsyncMethodBuilder(typeof(DeepPoolingValueTaskMethodBuilder<>))]
    private async ValueTask<bool> ProcessRequestAsync()
    {
        var framing = _head.BodyFraming;
        var limits = _options.Limits;
        _body.Reset(_transport.Input, framing, limits.MaxBodyBytes, limits.MaxHeaderBytes, _head.ExpectsContinue ? this : null);
        _response.Reset(_transport.Output, _head.Version, _head.IsHead, _head.KeepAliveRequested && !Stopping);

        // A declared length over the limit is refused before a byte of it is read, and before 100 Continue.
        if (framing.Kind == BodyKind.ContentLength && framing.Length > limits.MaxBodyBytes)
        {
            await RejectAsync(HttpRejection.BodyTooLarge);
            return false;
        }

        BeginBody(framing);
        try
        {
            if (_head.Target.SequenceEqual("*"u8))
                await AnswerServerWideOptionsAsync();
            else
                await _handler.HandleAsync(_exchange);
        }
        catch (HttpRejectedException ex)
        {
            // The body broke a rule (or timed out) while the handler read it and the handler let it through:
            // answer with the rejection's own status, and never trust the rest of this connection's bytes.
            await RejectAsync(ex.Reason);
            return false;
        }
        catch (Exception ex)
        {
            HttpLog.HandlerFailed(_logger, ex);
            if (_response.HasStarted || _transport.IsClosed)
            {
                Abort();
                return false;
            }
            _response.DisableKeepAlive();
            await ErrorResponse.WriteAsync(_response, 500, "internal error");
        }
        finally
        {
            EndBody();
        }

        if (_transport.IsClosed)
            return false;
        await _response.CompleteAsync();
        if (!_response.KeepAlive || _transport.IsClosed)
            return false;
        return _body.IsCompleted || await DrainBodyAsync();
    }

    /// <summary>
    /// `OPTIONS *` (the parser admits the asterisk-form for OPTIONS only, RFC 9112 §3.2.4) asks about the server as a
    /// whole, not about a resource, so no route could answer it: we do, with the methods some route accepts.
    /// </summary>
    private ValueTask AnswerServerWideOptionsAsync()
    {
        _response.StatusCode = 200;
        _response.AddHeader("Allow"u8, "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS"u8);
        _response.ContentLength = 0;
        return _response.CompleteAsync();
    }

    bool IResponseOwner.CanKeepAliveAfterResponse()
    {
        if (Stopping)
            return false;
        if (_body.IsCompleted)
            return true;
        // The client waits for 100 Continue that will never come; whether it then sends the body anyway is up to it,
        // so the only safe course is to close (RFC 9110 §10.1.1).
        if (_head.ExpectsContinue && !_body.HasStarted)
            return false;
        var framing = _body.Framing;
        return framing.Kind == BodyKind.ContentLength && framing.Length - _body.BytesConsumed <= _options.DrainLimitBytes;
    }

    async ValueTask IFirstBodyReadListener.OnFirstBodyReadAsync()
    {
        if (_response.HasStarted)
            return;
        _transport.Output.Write("HTTP/1.1 100 Continue\r\n\r\n"u8);
        await _transport.Output.FlushAsync();
    }
}
