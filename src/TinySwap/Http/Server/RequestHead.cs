using System.Text;
using TinySwap.Http.Parsing;

namespace TinySwap.Http.Server;

/// <summary>
/// A parsed request head, held as offsets into one per-connection byte store: the handler reads method, target and
/// fields as spans, and nothing allocates per request once the store has grown to its working size.
/// </summary>
internal sealed class RequestHead : IRequestLineSink, IHeaderSink
{
    private readonly int _maxFields;
    private byte[] _store = new byte[2048];
    private int _used;
    private readonly Field[] _fields;
    private int _fieldCount;
    private Range _method;
    private Range _target;
    private int _pathLength;
    private int _hostCount;
    private int _hostIndex;
    private int _expectIndex;
    private FramingHeaders _framing;

    public RequestHead(int maxFields)
    {
        _maxFields = maxFields;
        _fields = new Field[maxFields];
    }

    public ReadOnlySpan<byte> Method => Slice(_method);

    /// <summary>The request target as sent (origin-form: path and query).</summary>
    public ReadOnlySpan<byte> Target => Slice(_target);

    /// <summary>The target up to, not including, '?'.</summary>
    public ReadOnlySpan<byte> Path => Target[.._pathLength];

    /// <summary>The query after '?', empty when there is none.</summary>
    public ReadOnlySpan<byte> Query => _pathLength < _target.Length ? Target[(_pathLength + 1)..] : default;

    public HttpVersion Version { get; private set; }
    public int HeaderCount => _fieldCount;
    public ReadOnlySpan<byte> HeaderName(int index) => Slice(_fields[index].Name);
    public ReadOnlySpan<byte> HeaderValue(int index) => Slice(_fields[index].Value);

    /// <summary>How the body is framed; decided when the head completes.</summary>
    public BodyFraming BodyFraming { get; private set; }

    /// <summary>The client asked for 100 Continue (HTTP/1.1 only; RFC 9110 §10.1.1 says to ignore it in 1.0).</summary>
    public bool ExpectsContinue { get; private set; }

    /// <summary>Whether the client allows the connection to stay open (RFC 9112 §9.3).</summary>
    public bool KeepAliveRequested { get; private set; }

    public bool IsHead => Method.SequenceEqual("HEAD"u8);

    public bool MethodIs(ReadOnlySpan<byte> method) => Method.SequenceEqual(method);

    /// <summary>First field named <paramref name="name"/> (ASCII case-insensitive).</summary>
    public bool TryGetHeader(ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        for (var i = 0; i < _fieldCount; i++)
        {
            var field = _fields[i];
            if (field.Name.Length == name.Length && Ascii.EqualsIgnoreCase(Slice(field.Name), name))
            {
                value = Slice(field.Value);
                return true;
            }
        }
        value = default;
        return false;
    }

    /// <summary>Method, target and fields as text, for logs and tests (allocates).</summary>
    public override string ToString() => $"{Encoding.ASCII.GetString(Method)} {Encoding.ASCII.GetString(Target)}";

    internal void Reset()
    {
        _used = 0;
        _fieldCount = 0;
        _hostCount = 0;
        _hostIndex = -1;
        _expectIndex = -1;
        _framing.Reset();
        BodyFraming = default;
        ExpectsContinue = false;
        KeepAliveRequested = false;
    }

    void IRequestLineSink.OnRequestLine(ReadOnlySpan<byte> method, ReadOnlySpan<byte> target, HttpVersion version)
    {
        _method = Append(method);
        _target = Append(target);
        var question = target.IndexOf((byte)'?');
        _pathLength = question < 0 ? target.Length : question;
        Version = version;
    }

    void IHeaderSink.OnHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        if (_fieldCount == _maxFields)
            HttpRejectedException.Throw(HttpRejection.TooManyHeaders);
        _framing.Observe(name, value);
        if (name.Length == 4 && Ascii.EqualsIgnoreCase(name, "host"u8))
        {
            _hostCount++;
            _hostIndex = _fieldCount;
        }
        else if (name.Length == 6 && Ascii.EqualsIgnoreCase(name, "expect"u8))
        {
            _expectIndex = _fieldCount;
        }
        _fields[_fieldCount++] = new Field(Append(name), Append(value));
    }

    /// <summary>Checks what only the whole head can show and settles framing; throws the rejection otherwise.</summary>
    internal void Complete()
    {
        // RFC 9112 §3.2: exactly one Host in HTTP/1.1; more than one is always an error.
        if (_hostCount > 1)
            HttpRejectedException.Throw(HttpRejection.DuplicateHost);
        if (_hostCount == 0 && Version == HttpVersion.Http11)
            HttpRejectedException.Throw(HttpRejection.MissingHost);
        if (_hostCount == 1 && HeaderValue(_hostIndex).IndexOfAnyExcept(HttpCharacters.HostChar) >= 0)
            HttpRejectedException.Throw(HttpRejection.InvalidHost);

        BodyFraming = _framing.ResolveRequest(Version);

        if (_expectIndex >= 0 && Version == HttpVersion.Http11)
        {
            if (!Ascii.EqualsIgnoreCase(HeaderValue(_expectIndex), "100-continue"u8))
                HttpRejectedException.Throw(HttpRejection.UnsupportedExpectation);
            ExpectsContinue = BodyFraming.Kind != BodyKind.None;
        }
        KeepAliveRequested = Version == HttpVersion.Http11
            ? !_framing.ConnectionClose
            : _framing.ConnectionKeepAlive && !_framing.ConnectionClose;
    }

    private ReadOnlySpan<byte> Slice(Range range) => _store.AsSpan(range.Start, range.Length);

    private Range Append(ReadOnlySpan<byte> bytes)
    {
        if (_used + bytes.Length > _store.Length)
            Array.Resize(ref _store, Math.Max(_store.Length * 2, _used + bytes.Length));
        bytes.CopyTo(_store.AsSpan(_used));
        var range = new Range(_used, bytes.Length);
        _used += bytes.Length;
        return range;
    }

    private readonly record struct Range(int Start, int Length);

    private readonly record struct Field(Range Name, Range Value);
}
