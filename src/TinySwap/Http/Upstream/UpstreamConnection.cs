using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using TinySwap.Http.Parsing;
using TinySwap.Http.Transport;

namespace TinySwap.Http.Upstream;

/// <summary>How reading a response head ended.</summary>
internal enum ResponseHeadStatus : byte
{
    Received,
    /// <summary>The upstream closed before sending a single byte of a response (a stale keep-alive connection, typically).</summary>
    ClosedBeforeResponse,
    /// <summary>Some bytes came, then the connection ended or they broke a rule (<see cref="UpstreamConnection.Rejection"/>).</summary>
    Malformed,
}

/// <summary>One keep-alive connection to an upstream: write a request to <see cref="Output"/>, read the response here.</summary>
internal sealed class UpstreamConnection : IAsyncDisposable
{
    private readonly SocketConnection _transport;
    private readonly UpstreamClientOptions _options;

    /// <param name="tls">The TLS session over <paramref name="socket"/> for an https:// upstream, or null.</param>
    /// <param name="readiness">The socket's registration on our event loop, made by its connect.</param>
    public UpstreamConnection(Socket socket, Stream? tls, SocketReadiness readiness, UpstreamPool pool, UpstreamClientOptions options)
    {
        _transport = new SocketConnection(socket, tls, readiness);
        _options = options;
        Pool = pool;
        Response = new ResponseHead(options.MaxHeaderCount);
        _transport.Start();
    }

    public UpstreamPool Pool { get; }
    public PipeWriter Output => _transport.Output;
    public ResponseHead Response { get; }
    public MessageBodyReader ResponseBody { get; } = new();

    /// <summary>True once a request has been sent on this connection before the current one.</summary>
    public bool IsReused { get; internal set; }

    internal long IdleSince { get; set; }
    public HttpRejection Rejection { get; private set; }
    public bool IsClosed => _transport.IsClosed;

    /// <summary>
    /// An idle connection is usable only if the upstream has neither closed it nor sent anything unasked — a stray
    /// byte means the previous exchange was not what we thought it was.
    /// </summary>
    internal bool IsUsableWhenIdle()
    {
        if (_transport.IsClosed)
            return false;
        if (!_transport.Input.TryRead(out var result))
            return true;
        _transport.Input.AdvanceTo(result.Buffer.Start);
        return false;
    }

    /// <summary>
    /// Reads the response head, skipping interim 1xx responses (RFC 9110 §15.2). A 101 is final when the request asked
    /// for an upgrade (<paramref name="upgradeRequested"/>): the connection then carries the new protocol
    /// (<see cref="Tunnel"/>) and must never go back to the pool.
    /// </summary>
    [AsyncMethodBuilder(typeof(DeepPoolingValueTaskMethodBuilder<>))]
    public async ValueTask<ResponseHeadStatus> ReadResponseHeadAsync(bool requestWasHead, CancellationToken cancellationToken,
        bool upgradeRequested = false)
    {
        var input = _transport.Input;
        var sawBytes = false;
        while (true)
        {
            Response.Reset();
            var parsingFields = false;
            var fieldBytesLeft = _options.MaxHeaderBytes;
            while (true)
            {
                var result = await input.ReadAsync(cancellationToken);
                var buffer = result.Buffer;
                sawBytes |= !buffer.IsEmpty;
                if (!TryParseHead(buffer, requestWasHead, ref parsingFields, ref fieldBytesLeft, out var consumed, out var done))
                {
                    input.AdvanceTo(buffer.End);
                    return ResponseHeadStatus.Malformed;
                }
                if (done)
                {
                    input.AdvanceTo(consumed);
                    break;
                }
                if (result.IsCompleted)
                {
                    input.AdvanceTo(buffer.End);
                    Rejection = HttpRejection.UnexpectedEndOfBody;
                    return sawBytes ? ResponseHeadStatus.Malformed : ResponseHeadStatus.ClosedBeforeResponse;
                }
                input.AdvanceTo(consumed, buffer.End);
            }
            if (Response.StatusCode >= 200)
            {
                ResponseBody.Reset(input, Response.BodyFraming, maxBytes: -1, _options.MaxHeaderBytes, firstReadListener: null);
                return ResponseHeadStatus.Received;
            }
            if (Response.StatusCode == 101 && upgradeRequested)
                return ResponseHeadStatus.Received;
            // 101 unasked would switch protocols under us: a broken upstream.
            if (Response.StatusCode == 101)
            {
                Rejection = HttpRejection.InvalidStatusLine;
                return ResponseHeadStatus.Malformed;
            }
        }
    }

    private bool TryParseHead(in ReadOnlySequence<byte> buffer, bool requestWasHead, ref bool parsingFields, ref int fieldBytesLeft,
        out SequencePosition consumed, out bool done)
    {
        var reader = new SequenceReader<byte>(buffer);
        try
        {
            done = ResponseHeadParser.TryParse(ref reader, Response, ref parsingFields, ref fieldBytesLeft, _options.MaxStatusLineBytes, requestWasHead);
            consumed = reader.Position;
            return true;
        }
        catch (HttpRejectedException ex)
        {
            Rejection = ex.Reason;
            consumed = buffer.End;
            done = false;
            return false;
        }
    }

    /// <summary>The raw connection, for the bytes after a 101; the bytes the upstream sent behind the 101 head are still in its input.</summary>
    public ITunnelSide Tunnel => _transport;

    /// <summary>Resets the connection (the upstream sees it at once; llama-server stops generating).</summary>
    public void Abort() => _transport.Abort();

    public ValueTask DisposeAsync() => _transport.DisposeAsync();
}
