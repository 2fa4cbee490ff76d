using System.Text;
using TinySwap.Http.Parsing;

namespace TinySwap.Http.Server;

/// <summary>
/// A parsed request head, held as offsets into one per-connection byte store: the handler reads method, target and
/// fields as spans, and nothing allocates per request once the store has grown to its working size.
/// </summary>
internal sealed class RequestHead : IRequestLineSink, IHeaderSink, IFieldList
{
    private readonly FieldStore _store;
    private StoreRange _method;
    private StoreRange _target;
    private int _pathLength;
    private int _hostCount;
    private int _hostIndex;
    private int _expectIndex;
    private FramingHeaders _framing;

    public RequestHead(int maxFields) => _store = new FieldStore(maxFields);

    public ReadOnlySpan<byte> Method => _store[_method];

    /// <summary>The request target as sent (origin-form: path and query).</summary>
    public ReadOnlySpan<byte> Target => _store[_target];

    /// <summary>The target up to, not including, '?'.</summary>
    public ReadOnlySpan<byte> Path => Target[.._pathLength];

    /// <summary>The query after '?', empty when there is none.</summary>
    public ReadOnlySpan<byte> Query => _pathLength < _target.Length ? Target[(_pathLength + 1)..] : default;

    public HttpVersion Version { get; private set; }
    public int HeaderCount => _store.Count;
    public ReadOnlySpan<byte> HeaderName(int index) => _store.Name(index);
    public ReadOnlySpan<byte> HeaderValue(int index) => _store.Value(index);

    /// <summary>How the body is framed; decided when the head completes.</summary>
    public BodyFraming BodyFraming { get; private set; }

    /// <summary>The client asked for 100 Continue (HTTP/1.1 only; RFC 9110 §10.1.1 says to ignore it in 1.0).</summary>
    public bool ExpectsContinue { get; private set; }

    /// <summary>Whether the client allows the connection to stay open (RFC 9112 §9.3).</summary>
    public bool KeepAliveRequested { get; private set; }

    public bool IsHead => Method.SequenceEqual("HEAD"u8);

    public bool MethodIs(ReadOnlySpan<byte> method) => Method.SequenceEqual(method);

    /// <summary>First field named <paramref name="name"/> (ASCII case-insensitive).</summary>
    public bool TryGetHeader(ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value) => _store.TryGet(name, out value);

    /// <summary>Method and target as text, for logs and tests (allocates).</summary>
    public override string ToString() => $"{Encoding.ASCII.GetString(Method)} {Encoding.ASCII.GetString(Target)}";

    internal void Reset()
    {
        _store.Reset();
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
        _method = _store.Append(method);
        _target = _store.Append(target);
        var question = target.IndexOf((byte)'?');
        _pathLength = question < 0 ? target.Length : question;
        Version = version;
    }

    void IHeaderSink.OnHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        _framing.Observe(name, value);
        var index = _store.Add(name, value);
        if (name.Length == 4 && Ascii.EqualsIgnoreCase(name, "host"u8))
        {
            _hostCount++;
            _hostIndex = index;
        }
        else if (name.Length == 6 && Ascii.EqualsIgnoreCase(name, "expect"u8))
        {
            _expectIndex = index;
        }
    }

    /// <summary>Checks what only the whole head can show and settles framing; throws the rejection otherwise.</summary>
    internal void Complete()
    {
        // RFC 9112 §3.2: exactly one Host in HTTP/1.1; more than one is always an error.
        if (_hostCount > 1)
            HttpRejectedException.Throw(HttpRejection.DuplicateHost);
        if (_hostCount == 0 && Version == HttpVersion.Http11)
            HttpRejectedException.Throw(HttpRejection.MissingHost);
        if (_hostCount == 1 && HostSyntax.Validate(HeaderValue(_hostIndex)) is var hostError and not HttpRejection.None)
            HttpRejectedException.Throw(hostError);

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
}
