using System.Buffers;

namespace TinySwap.Http.Parsing;

/// <summary>Receives the fields of a header or trailer section as they are parsed; spans are valid only during the call.</summary>
internal interface IHeaderSink
{
    void OnHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value);
}

/// <summary>Parses field lines (RFC 9112 §5) for requests, responses and chunked trailers alike.</summary>
internal static class HeaderFieldParser
{
    /// <summary>
    /// Parses complete field lines until the empty line that ends the section (true) or until the input runs out
    /// (false; the incomplete line is left unconsumed). <paramref name="remainingBytes"/> is the section's byte budget:
    /// running past it is <see cref="HttpRejection.HeadersTooLarge"/>.
    /// </summary>
    public static bool TryParseFields<TSink>(ref SequenceReader<byte> reader, TSink sink, ref int remainingBytes)
        where TSink : IHeaderSink
    {
        var scratch = new LineScratch();
        try
        {
            while (true)
            {
                if (!HeadLineReader.TryReadLine(ref reader, remainingBytes, HttpRejection.HeadersTooLarge,
                        HttpRejection.InvalidHeaderLine, ref scratch, out var line, out var lineBytes))
                    return false;
                remainingBytes -= lineBytes;
                if (line.IsEmpty)
                    return true;
                ParseField(line, out var name, out var value);
                sink.OnHeader(name, value);
            }
        }
        finally
        {
            scratch.Dispose();
        }
    }

    /// <summary>Splits and validates one field line (without its CRLF).</summary>
    public static void ParseField(ReadOnlySpan<byte> line, out ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        // RFC 9112 §5.2: obs-fold (a line starting with whitespace) must be rejected or rewritten; we reject.
        if (HttpCharacters.IsWhitespace(line[0]))
            HttpRejectedException.Throw(HttpRejection.ObsoleteLineFolding);
        var colon = line.IndexOf((byte)':');
        if (colon < 0)
            HttpRejectedException.Throw(HttpRejection.InvalidHeaderLine);
        name = line[..colon];
        // Whitespace between name and colon is not a tchar, so RFC 9112 §5.1's mandatory 400 falls out of this check.
        if (!HttpCharacters.IsToken(name))
            HttpRejectedException.Throw(HttpRejection.InvalidHeaderName);
        value = HttpCharacters.TrimOws(line[(colon + 1)..]);
        if (value.IndexOfAny(HttpCharacters.InvalidFieldValue) >= 0)
            HttpRejectedException.Throw(HttpRejection.InvalidHeaderValue);
    }
}
