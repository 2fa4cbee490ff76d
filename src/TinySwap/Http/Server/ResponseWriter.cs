using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using TinySwap.Http.Parsing;

namespace TinySwap.Http.Server;

/// <summary>
/// Writes one response: status and fields are buffered until the first body write or flush, then the head goes out
/// with the framing this writer chose — Content-Length when the handler set <see cref="ContentLength"/>, chunked for
/// HTTP/1.1 otherwise, close-delimited for HTTP/1.0. Per-connection and reused; allocation-free after warm-up.
/// </summary>
internal sealed partial class ResponseWriter : IBufferWriter<byte>
{
    private enum State : byte { NotStarted, Started, Completed }

    private enum Framing : byte { NoBody, ContentLength, Chunked, CloseDelimited }

    private readonly IResponseOwner _owner;
    private PipeWriter _output = null!;
    private byte[] _fields = new byte[1024];
    private int _fieldsLength;
    private bool _hasDate;
    private State _state;
    private Framing _framing;
    private long _contentLength;
    private long _bodyBytes;
    private bool _requestIsHead;
    private HttpVersion _requestVersion;
    private bool _keepAliveAllowed;

    public ResponseWriter(IResponseOwner owner) => _owner = owner;

    public int StatusCode { get; set; } = 200;

    /// <summary>Declares the body length (−1: unknown, the writer chunks or closes). Set before the response starts.</summary>
    public long ContentLength
    {
        get => _contentLength;
        set
        {
            EnsureNotStarted();
            _contentLength = value;
        }
    }

    public bool HasStarted => _state != State.NotStarted;
    public bool IsCompleted => _state == State.Completed;

    /// <summary>Whether the connection stays open after this response; final once the response has started.</summary>
    public bool KeepAlive { get; private set; }

    /// <summary>The error body shape for this request (<see cref="ErrorResponse"/>); the front door sets it per route.</summary>
    public ErrorShape ErrorShape { get; set; }

    /// <summary>Body bytes written so far.</summary>
    public long BodyBytes => _bodyBytes;

    internal void Reset(PipeWriter output, HttpVersion requestVersion, bool requestIsHead, bool keepAliveAllowed)
    {
        _output = output;
        _requestVersion = requestVersion;
        _requestIsHead = requestIsHead;
        _keepAliveAllowed = keepAliveAllowed;
        _fieldsLength = 0;
        _hasDate = false;
        _state = State.NotStarted;
        _contentLength = -1;
        _bodyBytes = 0;
        StatusCode = 200;
        ErrorShape = ErrorShape.OpenAi;
        KeepAlive = false;
    }

    /// <summary>Prevents keep-alive for this response (call before it starts).</summary>
    public void DisableKeepAlive()
    {
        EnsureNotStarted();
        _keepAliveAllowed = false;
    }

    /// <summary>
    /// Adds a field. Framing fields (Content-Length, Transfer-Encoding, Connection) are this writer's to send, and
    /// a value with CR, LF or NUL would split the response (RFC 9110 §5.5): both are programming errors and throw.
    /// </summary>
    public void AddHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        EnsureNotStarted();
        if (!HttpCharacters.IsToken(name) || value.IndexOfAny(HttpCharacters.InvalidFieldValue) >= 0)
            throw new ArgumentException("invalid header field");
        if (IsFramingField(name))
            throw new ArgumentException("framing fields are set by the writer", nameof(name));
        if (name.Length == 4 && Ascii.EqualsIgnoreCase(name, "date"u8))
            _hasDate = true;
        var needed = name.Length + value.Length + 4;
        if (_fieldsLength + needed > _fields.Length)
            Array.Resize(ref _fields, Math.Max(_fields.Length * 2, _fieldsLength + needed));
        var destination = _fields.AsSpan(_fieldsLength);
        name.CopyTo(destination);
        destination[name.Length] = (byte)':';
        destination[name.Length + 1] = (byte)' ';
        value.CopyTo(destination[(name.Length + 2)..]);
        "\r\n"u8.CopyTo(destination[(name.Length + 2 + value.Length)..]);
        _fieldsLength += needed;
    }

    /// <summary>Adds a field from ASCII strings (convenience for non-hot paths).</summary>
    public void AddHeader(string name, string value)
    {
        Span<byte> buffer = stackalloc byte[256];
        var total = name.Length + value.Length;
        var bytes = total <= buffer.Length ? buffer : new byte[total];
        var nameLength = Encoding.Latin1.GetBytes(name, bytes);
        var valueLength = Encoding.Latin1.GetBytes(value, bytes[nameLength..]);
        AddHeader(bytes[..nameLength], bytes.Slice(nameLength, valueLength));
    }

    public static bool IsFramingField(ReadOnlySpan<byte> name) => name.Length switch
    {
        10 => Ascii.EqualsIgnoreCase(name, "connection"u8),
        14 => Ascii.EqualsIgnoreCase(name, "content-length"u8),
        17 => Ascii.EqualsIgnoreCase(name, "transfer-encoding"u8),
        _ => false,
    };

    private void EnsureNotStarted()
    {
        if (_state != State.NotStarted)
            throw new InvalidOperationException("the response has already started");
    }

    /// <summary>Sends the head now (it is otherwise sent by the first body write or flush).</summary>
    public void Start()
    {
        if (_state != State.NotStarted)
            return;
        _state = State.Started;
        var bodyAllowed = StatusCode is >= 200 and not 204 and not 304;
        if (!bodyAllowed || _requestIsHead)
            _framing = Framing.NoBody;
        else if (_contentLength >= 0)
            _framing = Framing.ContentLength;
        else
            _framing = _requestVersion == HttpVersion.Http11 ? Framing.Chunked : Framing.CloseDelimited;
        KeepAlive = _keepAliveAllowed && _framing != Framing.CloseDelimited && _owner.CanKeepAliveAfterResponse();
        WriteHead(bodyAllowed);
    }

    /// <summary>
    /// Sends <c>101 Switching Protocols</c> with the fields added so far and <c>Connection: Upgrade</c>,
    /// <c>Upgrade: <paramref name="protocol"/></c> (RFC 9110 §7.8, §15.2.2). After the head, the connection speaks
    /// the new protocol: this writer is done, and the connection is not kept alive for HTTP. Not flushed.
    /// </summary>
    internal void SwitchProtocols(ReadOnlySpan<byte> protocol)
    {
        EnsureNotStarted();
        if (!HttpCharacters.IsToken(protocol))
            throw new ArgumentException("an upgrade protocol is a token", nameof(protocol));
        StatusCode = 101;
        _state = State.Completed;
        _framing = Framing.NoBody;
        KeepAlive = false;
        const int tail = 40;
        var span = _output.GetSpan(HeadCapacity() + protocol.Length + tail);
        var length = WriteStatusAndFields(span);
        length += Copy("Connection: Upgrade\r\nUpgrade: "u8, span[length..]);
        length += Copy(protocol, span[length..]);
        length += Copy("\r\n\r\n"u8, span[length..]);
        _output.Advance(length);
    }

    private int HeadCapacity() => 64 + StatusLines.ReasonPhrase(StatusCode).Length + DateHeader.Line.Length + _fieldsLength + 64;

    /// <summary>The status line, Date (unless the handler set one) and the handler's fields.</summary>
    private int WriteStatusAndFields(Span<byte> span)
    {
        var date = _hasDate ? default : DateHeader.Line;
        var length = StatusLines.Write(span, StatusCode);
        date.CopyTo(span[length..]);
        length += date.Length;
        _fields.AsSpan(0, _fieldsLength).CopyTo(span[length..]);
        return length + _fieldsLength;
    }

    private void WriteHead(bool bodyAllowed)
    {
        var span = _output.GetSpan(HeadCapacity());
        var length = WriteStatusAndFields(span);
        // A HEAD response carries the Content-Length the GET would have (RFC 9110 §9.3.2); 204 and 304 carry none here.
        if (_contentLength >= 0 && (bodyAllowed || (_requestIsHead && StatusCode >= 200)))
            length += WriteContentLength(span[length..], _contentLength);
        else if (_framing == Framing.Chunked)
            length += Copy("Transfer-Encoding: chunked\r\n"u8, span[length..]);
        if (!KeepAlive && _requestVersion == HttpVersion.Http11)
            length += Copy("Connection: close\r\n"u8, span[length..]);
        else if (KeepAlive && _requestVersion == HttpVersion.Http10)
            length += Copy("Connection: keep-alive\r\n"u8, span[length..]);
        length += Copy("\r\n"u8, span[length..]);
        _output.Advance(length);
    }

    private static int WriteContentLength(Span<byte> destination, long value)
    {
        var length = Copy("Content-Length: "u8, destination);
        value.TryFormat(destination[length..], out var digits);
        length += digits;
        return length + Copy("\r\n"u8, destination[length..]);
    }

    private static int Copy(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        source.CopyTo(destination);
        return source.Length;
    }

    public void Abort() => _owner.Abort();
}
