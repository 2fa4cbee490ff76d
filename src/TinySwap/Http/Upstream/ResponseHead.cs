using System.Buffers;
using TinySwap.Http.Parsing;

namespace TinySwap.Http.Upstream;

/// <summary>A parsed upstream response head: status, fields as spans, framing, and whether the upstream allows reuse.</summary>
internal sealed class ResponseHead(int maxFields) : IHeaderSink, IFieldList
{
    private readonly FieldStore _store = new(maxFields);
    private FramingHeaders _framing;

    public int StatusCode { get; private set; }
    public HttpVersion Version { get; private set; }
    public int HeaderCount => _store.Count;
    public ReadOnlySpan<byte> HeaderName(int index) => _store.Name(index);
    public ReadOnlySpan<byte> HeaderValue(int index) => _store.Value(index);
    public BodyFraming BodyFraming { get; private set; }

    /// <summary>The Content-Length the upstream declared (also for HEAD and 304 answers), or -1.</summary>
    public long DeclaredContentLength => _framing.ContentLength;

    /// <summary>RFC 9112 §9.3: HTTP/1.1 persists unless "close"; HTTP/1.0 only with "keep-alive".</summary>
    public bool KeepAlive { get; private set; }

    public bool TryGetHeader(ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value) => _store.TryGet(name, out value);

    internal void Reset()
    {
        _store.Reset();
        _framing.Reset();
        StatusCode = 0;
        BodyFraming = default;
        KeepAlive = false;
    }

    internal void OnStatusLine(HttpVersion version, int statusCode)
    {
        Version = version;
        StatusCode = statusCode;
    }

    void IHeaderSink.OnHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        _framing.Observe(name, value);
        _store.Add(name, value);
    }

    internal void Complete(bool requestWasHead)
    {
        BodyFraming = _framing.ResolveResponse(StatusCode, requestWasHead);
        KeepAlive = BodyFraming.Kind != BodyKind.CloseDelimited && (Version == HttpVersion.Http11
            ? !_framing.ConnectionClose
            : _framing.ConnectionKeepAlive && !_framing.ConnectionClose);
    }
}

/// <summary>Status line, then fields, into a <see cref="ResponseHead"/>; resumable like the request-head parser.</summary>
internal static class ResponseHeadParser
{
    public static bool TryParse(ref SequenceReader<byte> reader, ResponseHead head, ref bool parsingFields, ref int fieldBytesLeft,
        int maxStatusLineBytes, bool requestWasHead)
    {
        if (!parsingFields)
        {
            if (!StatusLineParser.TryParse(ref reader, maxStatusLineBytes, out var version, out var status))
                return false;
            head.OnStatusLine(version, status);
            parsingFields = true;
        }
        if (!HeaderFieldParser.TryParseFields(ref reader, head, ref fieldBytesLeft))
            return false;
        head.Complete(requestWasHead);
        return true;
    }
}
