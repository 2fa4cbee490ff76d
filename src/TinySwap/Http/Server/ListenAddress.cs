using System.Net;
using System.Net.Sockets;

namespace TinySwap.Http.Server;

/// <summary>Turns a `listen` entry into socket endpoints: "127.0.0.1:8080", "[::1]:8080", "localhost:8080", ":8080".</summary>
internal static class ListenAddress
{
    /// <summary>
    /// ":PORT", "*:PORT", "0.0.0.0:PORT" and "[::]:PORT" mean every interface, as in llama-swap's Go `listen`.
    /// "localhost" binds the loopback address of each family the machine has.
    /// </summary>
    public static bool TryParse(string text, out IReadOnlyList<IPEndPoint> endPoints, out string? error)
    {
        endPoints = [];
        error = null;
        var colon = text.LastIndexOf(':');
        if (colon < 0 || !int.TryParse(text.AsSpan(colon + 1), out var port) || port is < 0 or > 65535)
        {
            error = $"listen address '{text}' must be HOST:PORT";
            return false;
        }
        var host = text[..colon];
        if (host.StartsWith('[') && host.EndsWith(']'))
            host = host[1..^1];
        if (host is "" or "*")
        {
            endPoints = [new IPEndPoint(Socket.OSSupportsIPv6 ? IPAddress.IPv6Any : IPAddress.Any, port)];
            return true;
        }
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            endPoints = Socket.OSSupportsIPv6
                ? [new IPEndPoint(IPAddress.Loopback, port), new IPEndPoint(IPAddress.IPv6Loopback, port)]
                : [new IPEndPoint(IPAddress.Loopback, port)];
            return true;
        }
        if (!IPAddress.TryParse(host, out var address))
        {
            error = $"listen address '{text}': host must be an IP address, 'localhost' or empty";
            return false;
        }
        endPoints = [new IPEndPoint(address, port)];
        return true;
    }
}
