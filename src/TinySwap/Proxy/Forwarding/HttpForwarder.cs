using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using TinySwap.Http.Parsing;
using TinySwap.Http.Server;
using TinySwap.Http.Upstream;
using TinySwap.Http.Transport;

namespace TinySwap.Proxy.Forwarding;

/// <summary>
/// Sends a client's request to an upstream and streams the answer back, flushed to the client as soon as no more of it
/// is buffered. Every failure comes back as a <see cref="ForwardOutcome"/> after <see cref="AnswerFailureAsync"/> has dealt
/// with it: a 502/504 (OpenAI-shaped JSON) while no response byte has gone out, an aborted connection afterwards,
/// so a truncated body never looks complete.
/// </summary>
internal sealed partial class HttpForwarder(ILogger logger)
{
    /// <summary>Forwards the exchange's request to <paramref name="upstream"/> and writes the response to the exchange.</summary>
    [AsyncMethodBuilder(typeof(DeepPoolingValueTaskMethodBuilder<>))]
    public async ValueTask<ForwardOutcome> ForwardAsync(HttpExchange exchange, UpstreamPool upstream, ForwardRequest request = default)
    {
        var head = exchange.Request;
        if (exchange.Trace.Capture is { } capture)
            CaptureRequestHead(capture, head);
        // Only a request we can send again byte for byte may be retried: no body, or one held in memory.
        var replayable = request.Body is not null
            || (head.BodyFraming.Kind == BodyKind.None && request.BodyPrefix.IsEmpty && request.SpilledBodyPrefix is null);
        for (var attempt = 0; ; attempt++)
        {
            UpstreamConnection connection;
            try
            {
                connection = await upstream.RentAsync(fresh: attempt > 0, exchange.Aborted);
            }
            catch (UpstreamConnectException ex)
            {
                return await AnswerFailureAsync(exchange, upstream, new(ex.TimedOut ? ForwardError.UpstreamConnectTimeout : ForwardError.UpstreamConnect, 0, Detail: ex.Message),
                    request);
            }
            catch (OperationCanceledException)
            {
                return await AnswerFailureAsync(exchange, upstream, new(ForwardError.Canceled, 0), request);
            }
            var outcome = await ExchangeAsync(exchange, connection, request, canRetry: attempt == 0 && replayable && connection.IsReused);
            if (outcome is { } final)
                return final.IsSuccess ? final : await AnswerFailureAsync(exchange, upstream, final, request);
            ForwarderLog.Retrying(logger, upstream.Address);
        }
    }

    /// <summary>One attempt on one connection; null means "retry on a fresh connection" (nothing reached the client).</summary>
    [AsyncMethodBuilder(typeof(DeepPoolingValueTaskMethodBuilder<>))]
    private async ValueTask<ForwardOutcome?> ExchangeAsync(HttpExchange exchange, UpstreamConnection connection, ForwardRequest request, bool canRetry)
    {
        var reusable = false;
        var tunneled = false;
        // The client leaving resets the upstream connection at once, which is how llama-server learns to stop.
        var abortOnDisconnect = exchange.Aborted.UnsafeRegister(static c => ((UpstreamConnection)c!).Abort(), connection);
        try
        {
            var send = await SendRequestAsync(exchange, connection, request);
            if (send.Error == ForwardError.UpstreamSend && canRetry)
                return null;
            if (send.Error is ForwardError.RequestBody or ForwardError.Canceled)
                return send;

            // Even when sending failed, the upstream may have answered early (a 413, say) before closing: read it.
            var (head, failure) = await ReadResponseHeadAsync(exchange, connection, request);
            if (failure is { } headFailure)
            {
                var retry = canRetry && head == ResponseHeadStatus.ClosedBeforeResponse && IsIdempotent(exchange.Request.Method);
                return retry ? null : send.Error != ForwardError.None ? send : headFailure;
            }

            if (connection.Response.StatusCode == 101)
            {
                // From here a client FIN is half of a close, no longer a client gone: the tunnel passes it on.
                abortOnDisconnect.Dispose();
                tunneled = true;
                return await TunnelAsync(exchange, connection);
            }

            var copy = await CopyResponseAsync(exchange, connection, request.ContinuesStartedResponse);
            if (copy.Error != ForwardError.None)
                return copy;
            reusable = send.Error == ForwardError.None && connection.Response.KeepAlive && connection.ResponseBody.IsCompleted;
            return copy;
        }
        finally
        {
            abortOnDisconnect.Dispose();
            if (reusable && !exchange.Aborted.IsCancellationRequested)
                connection.Pool.Return(connection);
            else if (!tunneled) // TunnelAsync closes its own: an upgraded connection never goes back to the pool
                UpstreamPool.Discard(connection);
        }
    }

    /// <summary>RFC 9110 §9.2.2: methods whose repetition has no effect beyond the first.</summary>
    private static bool IsIdempotent(ReadOnlySpan<byte> method) =>
        method.SequenceEqual("GET"u8) || method.SequenceEqual("HEAD"u8) || method.SequenceEqual("OPTIONS"u8)
        || method.SequenceEqual("TRACE"u8) || method.SequenceEqual("PUT"u8) || method.SequenceEqual("DELETE"u8);

    /// <summary>
    /// The one place a failure becomes what the client sees. No response byte sent yet: a status and a JSON error.
    /// Response started, or client gone: abort, so the client cannot mistake a cut-off body for a whole one.
    /// </summary>
    private async ValueTask<ForwardOutcome> AnswerFailureAsync(HttpExchange exchange, UpstreamPool upstream, ForwardOutcome failure, ForwardRequest request)
    {
        var callerAnswers = request.ContinuesStartedResponse;
        var who = request.UpstreamName ?? "upstream";
        var response = exchange.Response;
        if (failure.Error is ForwardError.Canceled or ForwardError.ResponseBodyClient || exchange.Aborted.IsCancellationRequested)
        {
            ForwarderLog.ClientGone(logger, upstream.Address, failure.Error);
            exchange.Abort();
            return failure with { StatusCode = 0 };
        }
        if (callerAnswers)
        {
            ForwarderLog.Failed(logger, upstream.Address, failure.Error, 0, failure.Detail);
            return failure;
        }
        if (response.HasStarted)
        {
            ForwarderLog.Failed(logger, upstream.Address, failure.Error, 0, failure.Detail);
            exchange.Abort();
            return failure with { StatusCode = 0 };
        }
        var (status, message) = failure.Error switch
        {
            ForwardError.RequestBody => (HttpRejections.StatusCode(failure.Rejection), HttpRejections.Describe(failure.Rejection)),
            ForwardError.UpstreamConnectTimeout or ForwardError.UpstreamResponseTimeout =>
                (504, request.UpstreamName is null ? "upstream did not answer in time" : $"{who} did not answer in time: {failure.Detail ?? failure.Error.ToString()}"),
            _ => (502, $"{who} failed: " + (failure.Detail ?? failure.Error.ToString())),
        };
        ForwarderLog.Failed(logger, upstream.Address, failure.Error, status, failure.Detail);
        // A client body we could not read leaves the connection's input in an unknown state.
        if (failure.Error == ForwardError.RequestBody)
            response.DisableKeepAlive();
        try
        {
            await ErrorResponse.WriteAsync(response, status, message);
        }
        catch (Exception ex) when (IoFailure.IsConnectionFailure(ex))
        {
            exchange.Abort();
            return failure with { StatusCode = 0 };
        }
        return failure with { StatusCode = status };
    }
}
