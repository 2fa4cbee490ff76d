using System.Globalization;

namespace TinySwap.Config;

/// <summary>
/// A web origin as `cors.allowOrigins` lists it and as a browser sends it in `Origin` (RFC 6454 §6.2):
/// scheme://host[:port], lower case, no default port, nothing after the authority.
/// </summary>
internal static class WebOrigin
{
    public static bool TryNormalize(string text, out string origin, out string error)
    {
        origin = "";
        error = "";
        if (text.Trim() == "*")
        {
            error = "'*' is refused: list each origin a browser may call from (a wildcard would let every web page use your models)";
            return false;
        }
        var schemeEnd = text.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd < 0 || !Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0)
        {
            error = $"'{text}' is not an origin like https://app.example.org or http://192.168.1.10:3000";
            return false;
        }
        if (text.AsSpan(schemeEnd + 3).IndexOfAny("/?#@") >= 0)
        {
            error = $"'{text}': an origin is scheme://host[:port] only, with no path, query or user (browsers send e.g. {uri.Scheme}://{uri.Authority})";
            return false;
        }
        origin = uri.IsDefaultPort
            ? $"{uri.Scheme}://{uri.Host}"
            : $"{uri.Scheme}://{uri.Host}:{uri.Port.ToString(CultureInfo.InvariantCulture)}";
        return true;
    }
}

/// <summary>A `Host` header value as `allowedHosts` lists it: a host name or IP literal, with an optional port.</summary>
internal static class HostHeaderValue
{
    public static bool IsValid(string value)
    {
        var host = value;
        var close = value.LastIndexOf(']');
        var colon = value.LastIndexOf(':');
        if (colon > close && !(close < 0 && value.IndexOf(':') != colon))
        {
            if (!int.TryParse(value.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
                return false;
            host = value[..colon];
        }
        if (host.StartsWith('[') && host.EndsWith(']'))
            return Uri.CheckHostName(host[1..^1]) == UriHostNameType.IPv6;
        return Uri.CheckHostName(host) is UriHostNameType.Dns or UriHostNameType.IPv4;
    }
}
