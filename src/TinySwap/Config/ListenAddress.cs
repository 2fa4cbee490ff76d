using System.Globalization;
using System.Net;

namespace TinySwap.Config;

/// <summary>
/// A `listen` value: HOST:PORT, [IPv6]:PORT, or :PORT for every interface (llama-swap's `--listen :8080`),
/// normalised to HOST:PORT with 0.0.0.0 for the empty host.
/// </summary>
internal static class ListenAddress
{
    public static bool TryNormalize(string text, out string normalized, out string error)
    {
        normalized = "";
        error = "";
        var colon = text.LastIndexOf(':');
        if (colon < 0)
        {
            error = $"'{text}' is not HOST:PORT (e.g. 127.0.0.1:8080, [::1]:8080 or :8080 for every interface)";
            return false;
        }
        var host = text[..colon];
        var portText = text[(colon + 1)..];
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            error = $"'{text}': port must be a number from 1 to 65535";
            return false;
        }
        if (host.Length == 0)
            host = "0.0.0.0";
        else if (host.StartsWith('['))
        {
            if (!host.EndsWith(']') || !IPAddress.TryParse(host[1..^1], out var v6) || v6.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
            {
                error = $"'{text}': '{host}' is not a bracketed IPv6 address";
                return false;
            }
        }
        else if (host.Contains(':'))
        {
            error = $"'{text}': write IPv6 addresses in brackets, e.g. [::1]:{port}";
            return false;
        }
        else if (!IsHostName(host))
        {
            error = $"'{text}': '{host}' is not an IP address or host name";
            return false;
        }
        normalized = host + ":" + port.ToString(CultureInfo.InvariantCulture);
        return true;
    }

    private static bool IsHostName(string host) =>
        Uri.CheckHostName(host) is UriHostNameType.Dns or UriHostNameType.IPv4;
}
