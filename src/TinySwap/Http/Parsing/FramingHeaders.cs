using System.Text;

namespace TinySwap.Http.Parsing;

/// <summary>
/// Collects the fields that decide framing and connection reuse while a head is parsed, and turns them into a
/// <see cref="BodyFraming"/> by the rules of RFC 9112 §6.3. Shared by the request and the response parser so both
/// sides agree byte for byte on where a message ends.
/// </summary>
internal struct FramingHeaders
{
    private long _contentLength;
    private bool _hasContentLength;
    private int _codingCount;
    private int _chunkedCount;
    private bool _lastIsChunked;
    private bool _otherCoding;

    public bool HasTransferEncoding { get; private set; }
    public bool ConnectionClose { get; private set; }
    public bool ConnectionKeepAlive { get; private set; }

    /// <summary>The declared Content-Length, or -1.</summary>
    public readonly long ContentLength => _hasContentLength ? _contentLength : -1;

    public void Reset() => this = default;

    /// <summary>Looks at every field; records the framing ones. Throws on an invalid Content-Length.</summary>
    public void Observe(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        switch (name.Length)
        {
            case 14 when Ascii.EqualsIgnoreCase(name, "content-length"u8):
                ObserveContentLength(value);
                break;
            case 17 when Ascii.EqualsIgnoreCase(name, "transfer-encoding"u8):
                ObserveTransferEncoding(value);
                break;
            case 10 when Ascii.EqualsIgnoreCase(name, "connection"u8):
                ObserveConnection(value);
                break;
        }
    }

    private void ObserveContentLength(ReadOnlySpan<byte> value)
    {
        // RFC 9110 §8.6 allows merging identical repeated values; like nginx we refuse any repetition, which also
        // covers "differing" and list forms ("5, 5") without a second code path.
        if (_hasContentLength)
            HttpRejectedException.Throw(HttpRejection.DuplicateContentLength);
        if (!TryParseContentLength(value, out _contentLength))
            HttpRejectedException.Throw(HttpRejection.InvalidContentLength);
        _hasContentLength = true;
    }

    /// <summary>1*DIGIT and nothing else: no sign, no hex, no inner space, no overflow.</summary>
    public static bool TryParseContentLength(ReadOnlySpan<byte> value, out long length)
    {
        length = 0;
        if (value.IsEmpty)
            return false;
        foreach (var b in value)
        {
            var digit = b - '0';
            if ((uint)digit > 9 || length > (long.MaxValue - digit) / 10)
                return false;
            length = length * 10 + digit;
        }
        return true;
    }

    private void ObserveTransferEncoding(ReadOnlySpan<byte> value)
    {
        HasTransferEncoding = true;
        // The codings of every Transfer-Encoding field form one list, in order (RFC 9110 §5.3).
        foreach (var range in value.Split((byte)','))
        {
            var coding = HttpCharacters.TrimOws(value[range]);
            if (coding.IsEmpty)
                continue;
            _codingCount++;
            _lastIsChunked = Ascii.EqualsIgnoreCase(coding, "chunked"u8);
            if (_lastIsChunked)
                _chunkedCount++;
            else
                _otherCoding = true;
        }
    }

    private void ObserveConnection(ReadOnlySpan<byte> value)
    {
        foreach (var range in value.Split((byte)','))
        {
            var option = HttpCharacters.TrimOws(value[range]);
            if (Ascii.EqualsIgnoreCase(option, "close"u8))
                ConnectionClose = true;
            else if (Ascii.EqualsIgnoreCase(option, "keep-alive"u8))
                ConnectionKeepAlive = true;
        }
    }

    /// <summary>Request framing (RFC 9112 §6.3 items 3-6): a request without either field has no body.</summary>
    public readonly BodyFraming ResolveRequest(HttpVersion version)
    {
        if (HasTransferEncoding)
        {
            // Both fields at once is the classic smuggling setup: RFC 9112 §6.3 item 3 lets us refuse it, and
            // §6.1 requires closing the connection afterwards, which every rejection does.
            if (_hasContentLength)
                HttpRejectedException.Throw(HttpRejection.ContentLengthWithTransferEncoding);
            // RFC 9112 §6.1: Transfer-Encoding in an HTTP/1.0 message means the framing is faulty.
            if (version == HttpVersion.Http10)
                HttpRejectedException.Throw(HttpRejection.TransferEncodingInHttp10);
            ValidateCodings();
            return BodyFraming.Chunked;
        }
        return _hasContentLength ? BodyFraming.FromLength(_contentLength) : BodyFraming.None;
    }

    /// <summary>
    /// Response framing (RFC 9112 §6.3 items 1-2, 4-7). We do not read a response whose chunked coding is not final
    /// as close-delimited (§6.3 item 4 would allow it): a malformed upstream answer is a 502, not a guess.
    /// </summary>
    public readonly BodyFraming ResolveResponse(int statusCode, bool requestWasHead)
    {
        if (HasTransferEncoding && _hasContentLength)
            HttpRejectedException.Throw(HttpRejection.ContentLengthWithTransferEncoding);
        if (requestWasHead || statusCode is < 200 or 204 or 304)
            return BodyFraming.None;
        if (HasTransferEncoding)
        {
            ValidateCodings();
            return BodyFraming.Chunked;
        }
        return _hasContentLength ? BodyFraming.FromLength(_contentLength) : BodyFraming.CloseDelimited;
    }

    private readonly void ValidateCodings()
    {
        // RFC 9112 §6.3 item 4: chunked must be the final coding, applied once (§7.1); anything before it is a
        // coding we would have to undo, which we do not implement (§6.1: 501).
        if (_codingCount == 0 || !_lastIsChunked || _chunkedCount > 1)
            HttpRejectedException.Throw(HttpRejection.ChunkedNotFinal);
        if (_otherCoding)
            HttpRejectedException.Throw(HttpRejection.UnsupportedTransferCoding);
    }
}
