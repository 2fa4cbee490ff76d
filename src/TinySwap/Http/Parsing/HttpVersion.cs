namespace TinySwap.Http.Parsing;

/// <summary>The two protocol versions we speak (RFC 9112 §2.3).</summary>
internal enum HttpVersion : byte
{
    Http10 = 10,
    Http11 = 11,
}

internal static class HttpVersions
{
    public static ReadOnlySpan<byte> Http10Text => "HTTP/1.0"u8;
    public static ReadOnlySpan<byte> Http11Text => "HTTP/1.1"u8;

    /// <summary>Matches exactly HTTP/1.0 or HTTP/1.1; otherwise tells whether the text is at least shaped like a version.</summary>
    public static bool TryParse(ReadOnlySpan<byte> text, out HttpVersion version, out bool wellFormed)
    {
        version = default;
        wellFormed = text.Length == 8 && text.StartsWith("HTTP/"u8) && char.IsAsciiDigit((char)text[5])
                     && text[6] == (byte)'.' && char.IsAsciiDigit((char)text[7]);
        if (!wellFormed || text[5] != (byte)'1')
            return false;
        if (text[7] == (byte)'1')
            version = HttpVersion.Http11;
        else if (text[7] == (byte)'0')
            version = HttpVersion.Http10;
        else
            return false;
        return true;
    }

    public static ReadOnlySpan<byte> Text(HttpVersion version) => version == HttpVersion.Http10 ? Http10Text : Http11Text;
}
