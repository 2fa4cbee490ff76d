using System.Buffers;

namespace TinySwap.Http.Parsing;

/// <summary>The byte classes of RFC 9110 §5.6 that the parsers validate against, as vectorised search sets.</summary>
internal static class HttpCharacters
{
    /// <summary>tchar (RFC 9110 §5.6.2): what a method, a header name, a coding or a chunk-extension name is made of.</summary>
    public static readonly SearchValues<byte> Token =
        SearchValues.Create("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"u8);

    /// <summary>
    /// Bytes never allowed in a field value: every control byte but HTAB, and DEL. RFC 9110 §5.5 requires rejecting
    /// CR, LF and NUL; we refuse the other controls as well since no legitimate client sends them.
    /// obs-text (0x80-0xFF) stays allowed: UTF-8 in values is common and harmless to a byte-transparent proxy.
    /// </summary>
    public static readonly SearchValues<byte> InvalidFieldValue = SearchValues.Create(
        [0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F,
         0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1A, 0x1B, 0x1C, 0x1D, 0x1E, 0x1F, 0x7F]);

    /// <summary>
    /// Bytes allowed in a request target: visible ASCII only (RFC 9112 §3.2, RFC 3986). A fragment (#) is never sent
    /// to a server, so its presence means a confused or hostile client.
    /// </summary>
    public static readonly SearchValues<byte> TargetChar = SearchValues.Create(
        "!\"$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~"u8);

    /// <summary>Bytes of a Host value: reg-name, IPv4, IP-literal and port (RFC 3986 §3.2.2).</summary>
    public static readonly SearchValues<byte> HostChar = SearchValues.Create(
        "!$&'()*+,-.0123456789:;=ABCDEFGHIJKLMNOPQRSTUVWXYZ[]_abcdefghijklmnopqrstuvwxyz~%"u8);

    public static bool IsToken(ReadOnlySpan<byte> span) => span.Length > 0 && span.IndexOfAnyExcept(Token) < 0;

    public static bool IsWhitespace(byte b) => b is (byte)' ' or (byte)'\t';

    /// <summary>Trims optional whitespace (OWS: SP / HTAB) from both ends.</summary>
    public static ReadOnlySpan<byte> TrimOws(ReadOnlySpan<byte> span)
    {
        var start = 0;
        while (start < span.Length && IsWhitespace(span[start]))
            start++;
        var end = span.Length;
        while (end > start && IsWhitespace(span[end - 1]))
            end--;
        return span[start..end];
    }
}
