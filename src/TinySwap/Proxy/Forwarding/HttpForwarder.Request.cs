using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text;
using TinySwap.Http.Parsing;
using TinySwap.Http.Server;
using TinySwap.Http.Upstream;
using TinySwap.Http.Transport;
using TinySwap.Observability.Capture;

namespace TinySwap.Proxy.Forwarding;

internal sealed partial class HttpForwarder
{
    /// <summary>Writes the request head and body to the upstream; the body streams with backpressure both ways.</summary>
    [AsyncMethodBuilder(typeof(DeepPoolingValueTaskMethodBuilder<>))]
    private static async ValueTask<ForwardOutcome> SendRequestAsync(HttpExchange exchange, UpstreamConnection connection, ForwardRequest request)
    {
        var head = exchange.Request;
        var output = connection.Output;
        var framing = head.BodyFraming;
        long contentLength = -1;
        var chunked = false;
        if (request.Body is { } replacement)
            contentLength = replacement.Length;
        else if (framing.Kind == BodyKind.ContentLength)
            contentLength = framing.Length + request.BodyLengthChange;
        else if (framing.Kind == BodyKind.Chunked)
            chunked = true;
        else if (head.TryGetHeader("content-length"u8, out _))
            contentLength = 0;

        WriteRequestHead(output, exchange, connection.Pool, request, contentLength, chunked);
        var capture = exchange.Trace.Capture;
        capture?.RestartRequestBody();
        try
        {
            if (request.Body is { } body)
            {
                output.Write(body.Span);
                capture?.RequestBody(body.Span);
            }
            else if (framing.Kind != BodyKind.None)
            {
                if (request.SpilledBodyPrefix is { } spilled)
                    await SendSpilledPrefixAsync(output, spilled, chunked, capture, exchange.Aborted);
                else if (!request.BodyPrefix.IsEmpty)
                {
                    WriteBodyPart(output, new ReadOnlySequence<byte>(request.BodyPrefix), chunked);
                    capture?.RequestBody(request.BodyPrefix.Span);
                }
                return await StreamBodyAsync(exchange, output, chunked);
            }
            await output.FlushAsync();
            return default;
        }
        catch (Exception ex) when (IoFailure.IsConnectionFailure(ex))
        {
            return new(ForwardError.UpstreamSend, 0, Detail: ex.Message);
        }
        catch (OperationCanceledException)
        {
            return new(ForwardError.Canceled, 0);
        }
    }

    [AsyncMethodBuilder(typeof(DeepPoolingValueTaskMethodBuilder<>))]
    private static async ValueTask<ForwardOutcome> StreamBodyAsync(HttpExchange exchange, PipeWriter output, bool chunked)
    {
        var body = exchange.RequestBody;
        while (true)
        {
            BodyReadResult read;
            try
            {
                read = await body.ReadAsync();
            }
            catch (Exception ex) when (IoFailure.Classify(ex) is var kind and not IoFailureKind.Unexpected)
            {
                // The client broke a body rule (or was too slow): its status goes back; anything else means it left.
                return ex is HttpRejectedException rejected
                    ? new(ForwardError.RequestBody, 0, rejected.Reason, ex.Message)
                    : new(ForwardError.Canceled, 0, Detail: $"{kind}: {ex.Message}");
            }
            WriteBodyPart(output, read.Buffer, chunked);
            exchange.Trace.Capture?.RequestBody(read.Buffer);
            body.AdvanceTo(read.Buffer.End);
            if (read.IsCompleted)
            {
                if (chunked)
                    output.Write("0\r\n\r\n"u8);
                await output.FlushAsync();
                return default;
            }
            // Awaiting the flush is the backpressure: a slow upstream stops us reading the client.
            await output.FlushAsync();
        }
    }

    private const int SpillCopyBufferBytes = 64 * 1024;

    /// <summary>Sends a prefix kept on disk, a buffer at a time, each flush awaited so a slow upstream holds us back.</summary>
    private static async ValueTask SendSpilledPrefixAsync(PipeWriter output, IRequestBodyPrefix prefix, bool chunked, CaptureRecorder? capture,
        CancellationToken aborted)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(SpillCopyBufferBytes);
        try
        {
            for (long offset = 0; offset < prefix.Length;)
            {
                var read = await prefix.ReadAsync(offset, buffer, aborted);
                if (read == 0)
                    throw new IOException("the spilled request body ended early");
                WriteBodyPart(output, new ReadOnlySequence<byte>(buffer, 0, read), chunked);
                capture?.RequestBody(buffer.AsSpan(0, read));
                offset += read;
                await output.FlushAsync();
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static void WriteBodyPart(PipeWriter output, in ReadOnlySequence<byte> data, bool chunked)
    {
        if (data.IsEmpty)
            return;
        if (chunked)
        {
            Span<byte> prefix = stackalloc byte[18];
            data.Length.TryFormat(prefix, out var digits, "x");
            "\r\n"u8.CopyTo(prefix[digits..]);
            output.Write(prefix[..(digits + 2)]);
        }
        foreach (var segment in data)
            output.Write(segment.Span);
        if (chunked)
            output.Write("\r\n"u8);
    }

    /// <summary>
    /// The request line with the upstream's path prefix, Host set to the upstream's authority, the client's fields
    /// minus hop-by-hop ones, credentials kept back and those we replace, X-Forwarded-For/-Proto, added credentials,
    /// the overrides, then our framing.
    /// </summary>
    private static void WriteRequestHead(PipeWriter output, HttpExchange exchange, UpstreamPool upstream, in ForwardRequest request,
        long contentLength, bool chunked)
    {
        var head = exchange.Request;
        output.Write(head.Method);
        output.Write(" "u8);
        output.Write(upstream.PathPrefix);
        if (request.PathAndQuery is { } pathAndQuery)
            WriteAscii(output, pathAndQuery, validateTarget: true);
        else
            output.Write(head.Target);
        output.Write(" HTTP/1.1\r\nHost: "u8);
        output.Write(upstream.HostHeaderValue);
        output.Write("\r\n"u8);

        var rules = request.HeaderRules ?? RequestHeaderRules.PassClientKeys;
        head.TryGetHeader("connection"u8, out var connection);
        for (var i = 0; i < head.HeaderCount; i++)
        {
            var name = head.HeaderName(i);
            if (HopByHopHeaders.Skip(name, connection) || IsSetByForwarder(name) || rules.Drops(name) || IsOverridden(name, request.Headers))
                continue;
            output.Write(name);
            output.Write(": "u8);
            output.Write(head.HeaderValue(i));
            output.Write("\r\n"u8);
        }

        if (!request.OmitsForwardedFields)
        {
            // De facto X-Forwarded-For: the hops the request already passed, then the address we received it from.
            output.Write("X-Forwarded-For: "u8);
            for (var i = 0; i < head.HeaderCount; i++)
            {
                if (Ascii.EqualsIgnoreCase(head.HeaderName(i), "x-forwarded-for"u8))
                {
                    output.Write(head.HeaderValue(i));
                    output.Write(", "u8);
                }
            }
            WriteAddress(output, exchange.RemoteEndPoint);
            output.Write("\r\nX-Forwarded-Proto: http\r\n"u8);
        }
        output.Write(rules.Added);
        if (request.SwitchToWebSocket)
            output.Write(WebSocketHandshake.UpgradeFields);

        if (request.Headers is { } overrides)
        {
            foreach (var (name, value) in overrides)
            {
                if (value is null)
                    continue;
                WriteAscii(output, name, validateTarget: false);
                output.Write(": "u8);
                WriteAscii(output, value, validateTarget: false);
                output.Write("\r\n"u8);
            }
        }

        if (chunked)
        {
            output.Write("Transfer-Encoding: chunked\r\n"u8);
        }
        else if (contentLength >= 0)
        {
            output.Write("Content-Length: "u8);
            var span = output.GetSpan(20);
            contentLength.TryFormat(span, out var digits);
            output.Advance(digits);
            output.Write("\r\n"u8);
        }
        output.Write("\r\n"u8);
    }

    /// <summary>Fields the forwarder writes itself (Host, framing, forwarding) or handles at our edge (Expect).</summary>
    private static bool IsSetByForwarder(ReadOnlySpan<byte> name) => name.Length switch
    {
        4 => Ascii.EqualsIgnoreCase(name, "host"u8),
        6 => Ascii.EqualsIgnoreCase(name, "expect"u8),
        14 => Ascii.EqualsIgnoreCase(name, "content-length"u8),
        15 => Ascii.EqualsIgnoreCase(name, "x-forwarded-for"u8),
        17 => Ascii.EqualsIgnoreCase(name, "x-forwarded-proto"u8),
        _ => false,
    };

    private static bool IsOverridden(ReadOnlySpan<byte> name, IReadOnlyList<KeyValuePair<string, string?>>? overrides)
    {
        if (overrides is null)
            return false;
        foreach (var (overrideName, _) in overrides)
        {
            if (Ascii.EqualsIgnoreCase(name, overrideName))
                return true;
        }
        return false;
    }

    /// <summary>Writes glue-supplied text; anything that could split the head is a programming error and throws.</summary>
    private static void WriteAscii(PipeWriter output, string text, bool validateTarget)
    {
        var span = output.GetSpan(text.Length);
        var length = Encoding.ASCII.GetBytes(text, span);
        var bytes = span[..length];
        var invalid = validateTarget
            ? bytes.IsEmpty || bytes[0] != (byte)'/' || bytes.IndexOfAnyExcept(HttpCharacters.TargetChar) >= 0
            : bytes.IndexOfAny(HttpCharacters.InvalidFieldValue) >= 0 || text.Any(c => c > 0x7F);
        if (invalid)
            throw new ArgumentException($"'{text}' cannot be sent upstream");
        output.Advance(length);
    }

    private static void WriteAddress(PipeWriter output, IPEndPoint? remote)
    {
        if (remote is null)
        {
            output.Write("unknown"u8);
            return;
        }
        var address = remote.Address.IsIPv4MappedToIPv6 ? remote.Address.MapToIPv4() : remote.Address;
        var span = output.GetSpan(64);
        address.TryFormat(span, out var written);
        output.Advance(written);
    }
}
