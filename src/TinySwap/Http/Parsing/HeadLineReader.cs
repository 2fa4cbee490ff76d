using System.Buffers;

namespace TinySwap.Http.Parsing;

/// <summary>
/// Cuts one CRLF-terminated line out of a sequence as a contiguous span. Lines that straddle pipe segments are copied
/// into <see cref="LineScratch"/>; the common single-segment case copies nothing.
/// </summary>
internal static class HeadLineReader
{
    /// <summary>
    /// Reads one line of at most <paramref name="limit"/> bytes including its CRLF. False: the line is not complete yet
    /// (nothing consumed). The limit is enforced by searching only the first <paramref name="limit"/> bytes, so a
    /// peer cannot make us scan an unbounded buffer.
    /// </summary>
    public static bool TryReadLine(ref SequenceReader<byte> reader, int limit, HttpRejection tooLong, HttpRejection malformed,
        ref LineScratch scratch, out ReadOnlySpan<byte> line, out int consumedBytes)
    {
        var unread = reader.UnreadSpan;
        var lf = unread[..Math.Min(unread.Length, limit)].IndexOf((byte)'\n');
        ReadOnlySpan<byte> lineWithCr;
        if (lf >= 0)
        {
            lineWithCr = unread[..lf];
        }
        else if (unread.Length >= limit)
        {
            HttpRejectedException.Throw(tooLong);
            lineWithCr = default;
        }
        else
        {
            var window = reader.UnreadSequence;
            if (window.Length > limit)
                window = window.Slice(0, limit);
            var lfPosition = window.PositionOf((byte)'\n');
            if (lfPosition is null)
            {
                if (reader.Remaining >= limit)
                    HttpRejectedException.Throw(tooLong);
                line = default;
                consumedBytes = 0;
                return false;
            }
            var lineSequence = window.Slice(0, lfPosition.Value);
            lf = (int)lineSequence.Length;
            var buffer = scratch.Get(lf);
            lineSequence.CopyTo(buffer);
            lineWithCr = buffer.AsSpan(0, lf);
        }

        // RFC 9112 §2.2 lets a recipient accept a bare LF as a line end; we do not, since lenient line endings are
        // what request smuggling between two disagreeing parsers is built on.
        if (lineWithCr.IsEmpty || lineWithCr[^1] != (byte)'\r')
            HttpRejectedException.Throw(malformed);
        line = lineWithCr[..^1];
        if (line.Contains((byte)'\r'))
            HttpRejectedException.Throw(HttpRejection.BareCarriageReturn);
        consumedBytes = lf + 1;
        reader.Advance(consumedBytes);
        return true;
    }
}

/// <summary>A pooled buffer for lines that cross segments; return it with <see cref="Dispose"/>.</summary>
internal struct LineScratch : IDisposable
{
    private byte[]? _buffer;

    public byte[] Get(int length)
    {
        if (_buffer is not null && _buffer.Length >= length)
            return _buffer;
        Dispose();
        return _buffer = ArrayPool<byte>.Shared.Rent(length);
    }

    public void Dispose()
    {
        if (_buffer is null)
            return;
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = null;
    }
}
