namespace TinySwap.Proxy;

/// <summary>
/// Walks the <c>; name=value</c> parameters of a header value such as Content-Type (RFC 9110 §5.6.6) or a part's
/// Content-Disposition (RFC 7578 §4.2, RFC 6266 §4.1): names are tokens, values are tokens or quoted-strings.
/// </summary>
internal ref struct HeaderParameters
{
    private ReadOnlySpan<byte> rest;

    /// <param name="afterValue">The header value after its leading item (media type, disposition type).</param>
    public HeaderParameters(ReadOnlySpan<byte> afterValue) => rest = afterValue;

    /// <summary>False when the input is malformed (check <see cref="IsMalformed"/>) or there are no more parameters.</summary>
    public bool IsMalformed { get; private set; }

    /// <summary>
    /// The next parameter: its name and its raw value (for a quoted-string, the bytes between the quotes with
    /// quoted-pairs still escaped; <see cref="Unquote"/> removes them).
    /// </summary>
    public bool MoveNext(out ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value, out bool quoted)
    {
        name = value = default;
        quoted = false;
        while (true)
        {
            rest = TrimStart(rest);
            if (rest.IsEmpty)
                return false;
            if (rest[0] != (byte)';')
                return Fail();
            rest = TrimStart(rest[1..]);
            // "parameters = *( OWS ";" OWS [ parameter ] )": empty parameters between semicolons are allowed.
            if (!rest.IsEmpty && rest[0] != (byte)';')
                break;
        }

        var nameLength = TokenLength(rest);
        if (nameLength == 0 || nameLength == rest.Length || rest[nameLength] != (byte)'=')
            return Fail();
        name = rest[..nameLength];
        rest = rest[(nameLength + 1)..];

        if (!rest.IsEmpty && rest[0] == (byte)'"')
        {
            var end = QuotedStringEnd(rest);
            if (end < 0)
                return Fail();
            value = rest[1..end];
            quoted = true;
            rest = rest[(end + 1)..];
        }
        else
        {
            var valueLength = TokenLength(rest);
            if (valueLength == 0)
                return Fail();
            value = rest[..valueLength];
            rest = rest[valueLength..];
        }

        if (!rest.IsEmpty && rest[0] != (byte)';' && !IsWhitespace(rest[0]))
            return Fail();
        return true;
    }

    /// <summary>Copies a raw value to <paramref name="destination"/>, undoing quoted-pairs; -1 when it does not fit.</summary>
    public static int Unquote(ReadOnlySpan<byte> value, bool quoted, Span<byte> destination)
    {
        var written = 0;
        for (var i = 0; i < value.Length; i++)
        {
            if (written == destination.Length)
                return -1;
            if (quoted && value[i] == (byte)'\\')
                i++;
            destination[written++] = value[i];
        }
        return written;
    }

    /// <summary>Compares a raw value with <paramref name="expected"/> after undoing quoted-pairs.</summary>
    public static bool ValueEquals(ReadOnlySpan<byte> value, bool quoted, ReadOnlySpan<byte> expected)
    {
        if (!quoted)
            return value.SequenceEqual(expected);
        var j = 0;
        for (var i = 0; i < value.Length; i++, j++)
        {
            if (value[i] == (byte)'\\')
                i++;
            if (j == expected.Length || value[i] != expected[j])
                return false;
        }
        return j == expected.Length;
    }

    /// <summary>Length of the leading token (RFC 9110 §5.6.2 tchar run).</summary>
    public static int TokenLength(ReadOnlySpan<byte> span)
    {
        var i = 0;
        while (i < span.Length && IsTokenChar(span[i]))
            i++;
        return i;
    }

    public static bool IsWhitespace(byte b) => b is (byte)' ' or (byte)'\t';

    public static ReadOnlySpan<byte> TrimStart(ReadOnlySpan<byte> span)
    {
        var i = 0;
        while (i < span.Length && IsWhitespace(span[i]))
            i++;
        return span[i..];
    }

    public static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> span)
    {
        span = TrimStart(span);
        var end = span.Length;
        while (end > 0 && IsWhitespace(span[end - 1]))
            end--;
        return span[..end];
    }

    private bool Fail()
    {
        IsMalformed = true;
        rest = default;
        return false;
    }

    // Index of the closing quote of the quoted-string starting at span[0], or -1 (RFC 9110 §5.6.4).
    private static int QuotedStringEnd(ReadOnlySpan<byte> span)
    {
        for (var i = 1; i < span.Length; i++)
        {
            var b = span[i];
            if (b == (byte)'"')
                return i;
            if (b == (byte)'\\')
            {
                // quoted-pair = "\" ( HTAB / SP / VCHAR / obs-text )
                if (++i == span.Length || (!IsQuotedText(span[i]) && span[i] != (byte)'"' && span[i] != (byte)'\\'))
                    return -1;
            }
            else if (!IsQuotedText(b))
            {
                return -1;
            }
        }
        return -1;
    }

    // qdtext = HTAB / SP / %x21 / %x23-5B / %x5D-7E / obs-text
    private static bool IsQuotedText(byte b) => b is (byte)'\t' or (byte)' ' or 0x21 or (>= 0x23 and <= 0x5B) or (>= 0x5D and <= 0x7E) or >= 0x80;

    private static bool IsTokenChar(byte b) => b switch
    {
        >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9' => true,
        (byte)'!' or (byte)'#' or (byte)'$' or (byte)'%' or (byte)'&' or (byte)'\'' or (byte)'*' or (byte)'+'
            or (byte)'-' or (byte)'.' or (byte)'^' or (byte)'_' or (byte)'`' or (byte)'|' or (byte)'~' => true,
        _ => false,
    };
}
