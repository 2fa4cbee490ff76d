using System.Buffers;

namespace TinySwap.Http.Parsing;

/// <summary>Percent-decoding of URI components (RFC 3986 §2.1), optionally with '+' as space (application/x-www-form-urlencoded).</summary>
internal static class PercentEncoding
{
    /// <summary>
    /// Decodes <paramref name="source"/> into <paramref name="destination"/>. <see cref="OperationStatus.InvalidData"/> for a
    /// '%' not followed by two hex digits; <see cref="OperationStatus.DestinationTooSmall"/> when it does not fit. The decoded
    /// bytes are not checked for UTF-8 validity: the caller decides what they mean.
    /// </summary>
    public static OperationStatus Decode(ReadOnlySpan<byte> source, Span<byte> destination, bool plusIsSpace, out int written)
    {
        written = 0;
        for (var i = 0; i < source.Length; i++)
        {
            var b = source[i];
            if (b == (byte)'%')
            {
                if (i + 2 >= source.Length || !TryHex(source[i + 1], out var high) || !TryHex(source[i + 2], out var low))
                    return OperationStatus.InvalidData;
                b = (byte)((high << 4) | low);
                i += 2;
            }
            else if (b == (byte)'+' && plusIsSpace)
            {
                b = (byte)' ';
            }

            if (written == destination.Length)
                return OperationStatus.DestinationTooSmall;
            destination[written++] = b;
        }
        return OperationStatus.Done;
    }

    private static bool TryHex(byte b, out int value)
    {
        value = b switch
        {
            >= (byte)'0' and <= (byte)'9' => b - '0',
            >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
            >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
            _ => -1,
        };
        return value >= 0;
    }
}
