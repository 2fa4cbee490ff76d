using System.Runtime.CompilerServices;
using System.Text;
using TinySwap.Http.Parsing;
using TinySwap.Http.Server;
using TinySwap.Http.Upstream;
using TinySwap.Http.Transport;

namespace TinySwap.Proxy.Forwarding;

internal sealed partial class HttpForwarder
{
    /// <summary>Waits for the upstream's final response head, within the request's optional head timeout.</summary>
    [AsyncMethodBuilder(typeof(DeepPoolingValueTaskMethodBuilder<>))]
    private async ValueTask<(ResponseHeadStatus Head, ForwardOutcome? Failure)> ReadResponseHeadAsync(
        HttpExchange exchange, UpstreamConnection connection, ForwardRequest request)
    {
        CancellationTokenSource? timeout = null;
        CancellationTokenRegistration abortOnTimeout = default;
        if (request.ResponseHeadersTimeout is { } limit)
        {
            timeout = new CancellationTokenSource(limit);
            abortOnTimeout = timeout.Token.UnsafeRegister(static c => ((UpstreamConnection)c!).Abort(), connection);
        }
        try
        {
            var head = await connection.ReadResponseHeadAsync(exchange.Request.IsHead, CancellationToken.None, request.SwitchToWebSocket);
            if (head == ResponseHeadStatus.Received)
                return (head, null);
            return (head, Classify(head == ResponseHeadStatus.Malformed
                ? new ForwardOutcome(ForwardError.UpstreamResponse, 0, connection.Rejection, "malformed response: " + HttpRejections.Describe(connection.Rejection))
                : new ForwardOutcome(ForwardError.UpstreamResponse, 0, Detail: "upstream closed the connection without answering")));
        }
        catch (Exception ex) when (IoFailure.IsConnectionFailure(ex))
        {
            return (ResponseHeadStatus.ClosedBeforeResponse, Classify(new ForwardOutcome(ForwardError.UpstreamResponse, 0, Detail: ex.Message)));
        }
        finally
        {
            // Waits for a timer callback already running, so it can never touch the connection after we move on.
            abortOnTimeout.Dispose();
            timeout?.Dispose();
        }

        // Our own abort (client gone, or the head timeout) shows up as a closed connection; name the real cause.
        ForwardOutcome Classify(ForwardOutcome outcome) =>
            exchange.Aborted.IsCancellationRequested ? outcome with { Error = ForwardError.Canceled }
            : timeout?.IsCancellationRequested == true ? outcome with { Error = ForwardError.UpstreamResponseTimeout, Detail = "no response head in time" }
            : outcome;
    }

    /// <summary>Written to the client without a flush at most: beyond it, the flush's backpressure must slow the upstream.</summary>
    private const long MaxUnflushedResponseBytes = 64 * 1024;

    /// <summary>
    /// Copies the upstream's status and end-to-end fields, then streams the body, flushing whenever no more of it is
    /// buffered. When our head is already out (<paramref name="headSent"/>), only a 200's body follows it; any other
    /// status is a failure.
    /// </summary>
    [AsyncMethodBuilder(typeof(DeepPoolingValueTaskMethodBuilder<>))]
    private static async ValueTask<ForwardOutcome> CopyResponseAsync(HttpExchange exchange, UpstreamConnection connection, bool headSent)
    {
        var upstream = connection.Response;
        var response = exchange.Response;
        var capture = exchange.Trace.Capture;
        if (capture is not null)
            CaptureResponseHead(capture, upstream);
        if (headSent)
        {
            if (upstream.StatusCode != 200)
                return new(ForwardError.UpstreamResponse, upstream.StatusCode, Detail: "the model answered " + upstream.StatusCode);
        }
        else
            CopyHead(upstream, response);

        // Token counts are read from JSON and SSE answers as they pass; audio, images and the rest are not scanned.
        var usage = CarriesUsage(upstream) ? exchange.Trace.Usage : null;
        var body = connection.ResponseBody;
        var pending = body.ReadWholeAsync();
        if (!pending.IsCompleted)
        {
            try
            {
                // No body byte yet: the head goes out now, since a model may think for a while before its first token.
                // When the body is already here (a small JSON answer), head and body leave together in one send.
                await response.FlushAsync();
            }
            catch (Exception ex) when (IoFailure.IsConnectionFailure(ex))
            {
                await AbandonReadAsync(connection, pending);
                return new(ForwardError.ResponseBodyClient, 0, Detail: ex.Message);
            }
        }
        while (true)
        {
            BodyReadResult read;
            try
            {
                read = await pending;
            }
            catch (Exception ex) when (IoFailure.IsConnectionFailure(ex))
            {
                return UpstreamBodyFailed(exchange, upstream, ex);
            }
            // Everything the upstream has already sent (several SSE events in one read, say) is written before one
            // flush: one send for all of it. A piece that has not arrived never holds back those that have.
            long unflushed = 0;
            while (true)
            {
                // A close-delimited body ends at EOF, and so does a connection we reset because the client left.
                if (exchange.Aborted.IsCancellationRequested)
                    return new(ForwardError.Canceled, upstream.StatusCode);
                if (!read.Buffer.IsEmpty)
                {
                    exchange.Trace.FirstByte();
                    capture?.ResponseBody(read.Buffer);
                    if (usage is not null)
                    {
                        foreach (var segment in read.Buffer)
                            usage.Feed(segment.Span);
                    }
                }
                try
                {
                    response.Write(read.Buffer);
                    body.AdvanceTo(read.Buffer.End);
                    if (read.IsCompleted)
                    {
                        await response.CompleteAsync();
                        return new(ForwardError.None, upstream.StatusCode);
                    }
                }
                catch (Exception ex) when (IoFailure.IsConnectionFailure(ex))
                {
                    return new(ForwardError.ResponseBodyClient, upstream.StatusCode, Detail: ex.Message);
                }
                unflushed += read.Buffer.Length;
                try
                {
                    if (unflushed >= MaxUnflushedResponseBytes || !body.TryReadWhole(out read))
                        break;
                }
                catch (Exception ex) when (IoFailure.IsConnectionFailure(ex))
                {
                    return UpstreamBodyFailed(exchange, upstream, ex);
                }
            }
            try
            {
                // Awaiting the flush is the backpressure that stops us reading the upstream while the client is slow.
                await response.FlushAsync();
            }
            catch (Exception ex) when (IoFailure.IsConnectionFailure(ex))
            {
                return new(ForwardError.ResponseBodyClient, upstream.StatusCode, Detail: ex.Message);
            }
            pending = body.ReadWholeAsync();
        }
    }

    /// <summary>
    /// The upstream's head was accepted, so a failed body read counts as a started response (aborted, never a 502),
    /// whether or not its head had been flushed yet.
    /// </summary>
    private static ForwardOutcome UpstreamBodyFailed(HttpExchange exchange, ResponseHead upstream, Exception ex)
    {
        exchange.Response.Start();
        var error = exchange.Aborted.IsCancellationRequested ? ForwardError.Canceled : ForwardError.ResponseBodyUpstream;
        return new(error, upstream.StatusCode, (ex as HttpRejectedException)?.Reason ?? HttpRejection.None, ex.Message);
    }

    private static void CopyHead(ResponseHead upstream, ResponseWriter response)
    {
        response.StatusCode = upstream.StatusCode;
        CopyFields(upstream, response);
        // The body length is kept exact; without one, the writer picks chunked (HTTP/1.1) or close-delimited (1.0).
        if (upstream.DeclaredContentLength >= 0 && upstream.BodyFraming.Kind != BodyKind.Chunked)
            response.ContentLength = upstream.DeclaredContentLength;
    }

    /// <summary>The upstream's end-to-end fields: not hop-by-hop, not framing (the writer's), not CORS (the front door's).</summary>
    private static void CopyFields(ResponseHead upstream, ResponseWriter response)
    {
        upstream.TryGetHeader("connection"u8, out var connectionField);
        for (var i = 0; i < upstream.HeaderCount; i++)
        {
            var name = upstream.HeaderName(i);
            if (HopByHopHeaders.Skip(name, connectionField) || ResponseWriter.IsFramingField(name) || IsCorsField(name))
                continue;
            response.AddHeader(name, upstream.HeaderValue(i));
        }
    }

    private static bool CarriesUsage(ResponseHead upstream)
    {
        if (!upstream.TryGetHeader("content-type"u8, out var type))
            return false;
        return type.IndexOf("json"u8) >= 0 || type.IndexOf("event-stream"u8) >= 0;
    }

    /// <summary>
    /// The upstream's own CORS fields (llama-server answers <c>Access-Control-Allow-Origin: *</c>) never reach the
    /// client: which origins may read tinyswap's answers is tinyswap's decision (cors.allowOrigins), added by the front door.
    /// </summary>
    private static bool IsCorsField(ReadOnlySpan<byte> name) =>
        name.Length > 15 && Ascii.EqualsIgnoreCase(name[..15], "access-control-"u8);

    /// <summary>The client is gone while a body read is pending: reset the upstream (ending the read) and observe it.</summary>
    private static async ValueTask AbandonReadAsync(UpstreamConnection connection, ValueTask<BodyReadResult> pending)
    {
        connection.Abort();
        try
        {
            await pending;
        }
        catch (Exception ex) when (IoFailure.IsConnectionFailure(ex))
        {
        }
    }
}
