namespace TinySwap.Http.Parsing;

/// <summary>
/// Whether a Host value is `uri-host [ ":" port ]` (RFC 9110 §7.2, RFC 3986 §3.2.2-3.2.3). Only the shape: which
/// hosts are welcome is the proxy layer's decision. An empty Host is refused too: RFC 9112 §3.2 allows it only for
/// targets without an authority, which no client of ours has, and an empty value is a classic cache-poisoning probe.
/// </summary>
internal static class HostSyntax
{
    private const int MaxPortDigits = 5;

    public static HttpRejection Validate(ReadOnlySpan<byte> host)
    {
        if (host.IsEmpty)
            return HttpRejection.EmptyHost;
        if (host.IndexOfAnyExcept(HttpCharacters.HostChar) >= 0)
            return HttpRejection.InvalidHost;
        ReadOnlySpan<byte> rest;
        if (host[0] == (byte)'[')
        {
            // IP-literal: the only place ':' may appear before the port, so it must be closed before anything else.
            var close = host.IndexOf((byte)']');
            if (close < 2 || host[1..close].IndexOfAny((byte)'[', (byte)'%') >= 0)
                return HttpRejection.InvalidHost;
            rest = host[(close + 1)..];
        }
        else
        {
            var colon = host.IndexOf((byte)':');
            var name = colon < 0 ? host : host[..colon];
            if (name.IsEmpty || name.IndexOfAny((byte)'[', (byte)']') >= 0 || !PercentEncodingIsWellFormed(name))
                return HttpRejection.InvalidHost;
            rest = colon < 0 ? default : host[colon..];
        }
        if (rest.IsEmpty)
            return HttpRejection.None;
        // ":" port, where port = *DIGIT (an empty port is allowed by RFC 3986 and means the default).
        var port = rest[1..];
        if (rest[0] != (byte)':' || port.Length > MaxPortDigits || port.IndexOfAnyExceptInRange((byte)'0', (byte)'9') >= 0)
            return HttpRejection.InvalidHost;
        return HttpRejection.None;
    }

    private static bool PercentEncodingIsWellFormed(ReadOnlySpan<byte> name)
    {
        for (var i = name.IndexOf((byte)'%'); i >= 0; i = name.IndexOf((byte)'%'))
        {
            if (i + 2 >= name.Length || !char.IsAsciiHexDigit((char)name[i + 1]) || !char.IsAsciiHexDigit((char)name[i + 2]))
                return false;
            name = name[(i + 3)..];
        }
        return true;
    }
}
