using System.Buffers;

namespace TinySwap.Http.Parsing;

/// <summary>Where a chunked decoder is (RFC 9112 §7.1).</summary>
internal enum ChunkPhase : byte
{
    Prefix,
    Data,
    DataTerminator,
    Trailer,
    Complete,
}

/// <summary>Progress through a chunked body; a value so the reader owning it can reset it between messages.</summary>
internal struct ChunkedState
{
    public ChunkPhase Phase;
    public long ChunkRemaining;
    public long Total;
    public int TrailerBytesLeft;
}

/// <summary>Parses the framing around chunk data: size lines with extensions, the CRLF after data, and trailers.</summary>
internal static class ChunkedFraming
{
    /// <summary>A chunk-size line longer than this is refused: no legitimate extension is anywhere near it.</summary>
    public const int MaxPrefixLineBytes = 1024;

    /// <summary>
    /// Consumes framing until data bytes are next (Phase == Data), the body is complete, or more input is needed
    /// (false). <paramref name="maxBody"/> (negative: unlimited) is checked against each declared chunk size, so an
    /// oversized body is refused before its bytes arrive.
    /// </summary>
    public static bool TryAdvance(ref SequenceReader<byte> reader, ref ChunkedState state, long maxBody)
    {
        while (true)
        {
            switch (state.Phase)
            {
                case ChunkPhase.Data:
                case ChunkPhase.Complete:
                    return true;
                case ChunkPhase.Prefix:
                    if (!TryReadPrefix(ref reader, ref state, maxBody))
                        return false;
                    break;
                case ChunkPhase.DataTerminator:
                    if (reader.Remaining < 2)
                        return false;
                    if (!reader.IsNext("\r\n"u8, advancePast: true))
                        HttpRejectedException.Throw(HttpRejection.InvalidChunkTerminator);
                    state.Phase = ChunkPhase.Prefix;
                    break;
                case ChunkPhase.Trailer:
                    // Trailer fields are validated and dropped: framing fields there must never take effect
                    // (RFC 9110 §6.5.1), and nothing downstream of us asks for the rest.
                    if (!HeaderFieldParser.TryParseFields(ref reader, default(DiscardingSink), ref state.TrailerBytesLeft))
                        return false;
                    state.Phase = ChunkPhase.Complete;
                    break;
            }
        }
    }

    private static bool TryReadPrefix(ref SequenceReader<byte> reader, ref ChunkedState state, long maxBody)
    {
        var scratch = new LineScratch();
        try
        {
            if (!HeadLineReader.TryReadLine(ref reader, MaxPrefixLineBytes, HttpRejection.ChunkExtensionTooLong,
                    HttpRejection.InvalidChunkSize, ref scratch, out var line, out _))
                return false;
            var size = ParseSizeLine(line);
            if (maxBody >= 0 && size > maxBody - state.Total)
                HttpRejectedException.Throw(HttpRejection.BodyTooLarge);
            state.Total += size;
            state.ChunkRemaining = size;
            state.Phase = size == 0 ? ChunkPhase.Trailer : ChunkPhase.Data;
            return true;
        }
        finally
        {
            scratch.Dispose();
        }
    }

    /// <summary>
    /// chunk-size [ chunk-ext ]: 1*HEXDIG, then *( ";" BWS name [ BWS "=" BWS value ] ). RFC 9112 §7.1.1 allows BWS
    /// before each ";" as well, but whitespace after the size is where parsers disagree ("5 " read as 5 by one and
    /// refused or mis-sized by the next), which is the stuff of request smuggling; like Http11Probe's strict reading
    /// we refuse whitespace after the size, before a ";" and at the end of the line.
    /// </summary>
    public static long ParseSizeLine(ReadOnlySpan<byte> line)
    {
        long size = 0;
        var i = 0;
        for (; i < line.Length; i++)
        {
            var digit = HexValue(line[i]);
            if (digit < 0)
                break;
            if (size > (long.MaxValue >> 4))
                HttpRejectedException.Throw(HttpRejection.InvalidChunkSize);
            size = (size << 4) | (uint)digit;
        }
        if (i == 0)
            HttpRejectedException.Throw(HttpRejection.InvalidChunkSize);
        ValidateExtensions(line[i..]);
        return size;
    }

    private static void ValidateExtensions(ReadOnlySpan<byte> rest)
    {
        for (var afterSize = true; !rest.IsEmpty; afterSize = false)
        {
            // Anything but ';' right after the size is a malformed size ("5x", "5 5", "5 "); later, a malformed extension.
            if (rest[0] != (byte)';')
                HttpRejectedException.Throw(afterSize ? HttpRejection.InvalidChunkSize : HttpRejection.InvalidChunkExtension);
            rest = SkipWhitespace(rest[1..]);
            var nameLength = rest.IndexOfAnyExcept(HttpCharacters.Token);
            if (nameLength < 0)
                nameLength = rest.Length;
            if (nameLength == 0)
                HttpRejectedException.Throw(HttpRejection.InvalidChunkExtension);
            rest = rest[nameLength..];
            var afterName = SkipWhitespace(rest);
            if (afterName.IsEmpty || afterName[0] != (byte)'=')
                continue;
            rest = SkipWhitespace(afterName[1..]);
            rest = rest[ValueLength(rest)..];
        }
    }

    /// <summary>Length of a token or quoted-string extension value; throws on anything else (control bytes included).</summary>
    private static int ValueLength(ReadOnlySpan<byte> rest)
    {
        if (rest.IsEmpty)
            HttpRejectedException.Throw(HttpRejection.InvalidChunkExtension);
        if (rest[0] != (byte)'"')
        {
            var length = rest.IndexOfAnyExcept(HttpCharacters.Token);
            if (length == 0)
                HttpRejectedException.Throw(HttpRejection.InvalidChunkExtension);
            return length < 0 ? rest.Length : length;
        }
        for (var i = 1; i < rest.Length; i++)
        {
            var b = rest[i];
            if (b == (byte)'"')
                return i + 1;
            if (b == (byte)'\\')
                b = ++i < rest.Length ? rest[i] : (byte)0;
            if (b < 0x20 && b != (byte)'\t' || b == 0x7F)
                HttpRejectedException.Throw(HttpRejection.InvalidChunkExtension);
        }
        HttpRejectedException.Throw(HttpRejection.InvalidChunkExtension);
        return 0;
    }

    private static ReadOnlySpan<byte> SkipWhitespace(ReadOnlySpan<byte> span)
    {
        var i = 0;
        while (i < span.Length && HttpCharacters.IsWhitespace(span[i]))
            i++;
        return span[i..];
    }

    private static int HexValue(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => -1,
    };

    private readonly struct DiscardingSink : IHeaderSink
    {
        public void OnHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
        {
        }
    }
}
