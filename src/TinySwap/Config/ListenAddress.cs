using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace TinySwap.Config;

/// <summary>
/// A listen address as `listen:` and `--listen` write it, parsed by this one type for both and for the server's bind:
/// IPv4:PORT, [IPv6]:PORT, localhost:PORT (the loopback address of each family), or :PORT / *:PORT for every
/// interface of both families (llama-swap's Go `--listen :8080`). Port 0 lets the system pick one (logged at start).
/// </summary>
/// <remarks>
/// Host names other than localhost are refused rather than resolved: a name can resolve to several addresses, to
/// another machine's, or to something else after the next DNS change, and none of that should decide where a server
/// that runs programs on request listens. The message names the alternatives.
/// </remarks>
internal sealed record ListenAddress
{
    private ListenAddress(string host, IPAddress? address, int port)
    {
        Host = host;
        Address = address;
        Port = port;
    }

    /// <summary>"" for every interface, "localhost", or the IP literal (IPv6 without brackets).</summary>
    public string Host { get; }

    /// <summary>The IP literal; null for every interface and for localhost.</summary>
    public IPAddress? Address { get; }

    public int Port { get; }

    public bool IsEveryInterface => Host.Length == 0;

    /// <summary>The canonical text: ":8080", "localhost:8080", "127.0.0.1:8080", "[::1]:8080".</summary>
    public override string ToString()
    {
        var port = Port.ToString(CultureInfo.InvariantCulture);
        return Address is { AddressFamily: AddressFamily.InterNetworkV6 } ? $"[{Host}]:{port}" : $"{Host}:{port}";
    }

    public static bool TryParse(string text, [NotNullWhen(true)] out ListenAddress? address, out string error)
    {
        address = null;
        error = "";
        var colon = text.LastIndexOf(':');
        if (colon < 0)
        {
            error = $"'{text}' is not HOST:PORT (e.g. 127.0.0.1:8080, [::1]:8080, localhost:8080 or :8080 for every interface)";
            return false;
        }
        var host = text[..colon];
        if (!int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            error = $"'{text}': the port must be a number from 0 to 65535";
            return false;
        }
        if (host is "" or "*")
        {
            address = new ListenAddress("", null, port);
            return true;
        }
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            address = new ListenAddress("localhost", null, port);
            return true;
        }
        if (host.StartsWith('['))
        {
            if (!host.EndsWith(']') || !IPAddress.TryParse(host[1..^1], out var v6) || v6.AddressFamily != AddressFamily.InterNetworkV6)
            {
                error = $"'{text}': '{host}' is not a bracketed IPv6 address";
                return false;
            }
            address = new ListenAddress(v6.ToString(), v6, port);
            return true;
        }
        if (host.Contains(':'))
        {
            error = $"'{text}': write IPv6 addresses in brackets, e.g. [::1]:{port}";
            return false;
        }
        if (IPAddress.TryParse(host, out var v4) && v4.AddressFamily == AddressFamily.InterNetwork && IsDottedQuad(host))
        {
            address = new ListenAddress(v4.ToString(), v4, port);
            return true;
        }
        error = $"'{text}': '{host}' is a host name; listen takes an IP address of this machine (e.g. 192.168.1.10:{port}), localhost:{port}, or :{port} for every interface";
        return false;
    }

    /// <summary>The socket endpoints to bind: one, or two for localhost and every interface where IPv6 is off.</summary>
    public IReadOnlyList<IPEndPoint> EndPoints()
    {
        if (Address is not null)
            return [new IPEndPoint(Address, Port)];
        if (IsEveryInterface)
            return [new IPEndPoint(Socket.OSSupportsIPv6 ? IPAddress.IPv6Any : IPAddress.Any, Port)];
        return Socket.OSSupportsIPv6
            ? [new IPEndPoint(IPAddress.Loopback, Port), new IPEndPoint(IPAddress.IPv6Loopback, Port)]
            : [new IPEndPoint(IPAddress.Loopback, Port)];
    }

    // IPAddress.TryParse takes "1", "1.2" and "0x7f.1" as IPv4 (inet_aton's forms); a listen address should not.
    private static bool IsDottedQuad(string host) =>
        host.AsSpan().Count('.') == 3 && host.AsSpan().IndexOfAnyExcept("0123456789.") < 0;
}
