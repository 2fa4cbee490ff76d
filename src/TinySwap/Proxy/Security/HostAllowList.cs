using System.Net;
using System.Text;

namespace TinySwap.Proxy.Security;

/// <summary>
/// Which <c>Host</c> values tinyswap answers (DNS-rebinding defence): any IP literal, <c>localhost</c>, the host names
/// of the listen addresses, and <c>allowedHosts</c>. Everything else — a DNS name nobody listed — is refused.
/// </summary>
/// <remarks>
/// DNS rebinding works by pointing a name the attacker owns (evil.example) at 127.0.0.1 or a LAN address after the
/// victim's browser loaded a page from it: the page is then "same-origin" with tinyswap and can read /running and
/// drive the models. The browser still sends <c>Host: evil.example</c>, so refusing names we do not know stops it.
/// An IP literal cannot be rebound: a browser connects to exactly the address in the URL, so a page whose origin is
/// <c>http://192.168.1.5:8080</c> was served by whoever listens there, i.e. by us. That is why every IP literal is
/// accepted (a wildcard listen reached by LAN clients through the machine's address, a NAT'd address) while a name
/// must be listed: a reverse proxy that keeps the client's <c>Host</c> (nginx <c>proxy_set_header Host $host</c>)
/// or LAN clients using the machine's name need <c>allowedHosts</c>.
/// </remarks>
internal sealed class HostAllowList
{
    private static readonly byte[] Localhost = "localhost"u8.ToArray();

    // Lower-case names, each with the port it must carry or null for any port.
    private readonly (byte[] Name, byte[]? Port)[] _names;

    public HostAllowList(IEnumerable<string> listen, IEnumerable<string> allowedHosts)
    {
        var names = new List<(byte[], byte[]?)> { (Localhost, null) };
        foreach (var address in listen)
        {
            // Listen names match on any port: the port a client uses can differ from ours behind a port forward.
            if (Split(Encoding.ASCII.GetBytes(address.Trim().ToLowerInvariant()), out var host, out _) && !IsIpLiteral(host) && !host.IsEmpty && host is not [(byte)'*'])
                names.Add((host.ToArray(), null));
        }
        foreach (var entry in allowedHosts)
        {
            if (Split(Encoding.ASCII.GetBytes(entry.Trim().ToLowerInvariant()), out var host, out var port) && !host.IsEmpty)
                names.Add((host.ToArray(), port.IsEmpty ? null : port.ToArray()));
        }
        _names = [.. names];
    }

    /// <summary>Whether a request whose <c>Host</c> field is <paramref name="host"/> (already checked for allowed characters) is served.</summary>
    public bool Allows(ReadOnlySpan<byte> host)
    {
        if (!Split(host, out var name, out var port) || name.IsEmpty)
            return false;
        if (IsIpLiteral(name))
            return true;
        foreach (var (allowed, allowedPort) in _names)
        {
            if (Ascii.EqualsIgnoreCase(name, allowed) && (allowedPort is null || port.SequenceEqual(allowedPort)))
                return true;
        }
        return false;
    }

    /// <summary>
    /// Splits <c>uri-host [":" port]</c> (RFC 9110 §7.2, RFC 3986 §3.2.2). The brackets of an IPv6 literal stay on
    /// the host; one trailing dot of a name is dropped (<c>localhost.</c> is <c>localhost</c>).
    /// </summary>
    internal static bool Split(ReadOnlySpan<byte> value, out ReadOnlySpan<byte> host, out ReadOnlySpan<byte> port)
    {
        host = value;
        port = default;
        int portColon;
        if (value.StartsWith("["u8))
        {
            var close = value.IndexOf((byte)']');
            if (close < 0)
                return false;
            host = value[..(close + 1)];
            portColon = close + 1 < value.Length ? close + 1 : -1;
            if (portColon >= 0 && value[portColon] != (byte)':')
                return false;
        }
        else
        {
            portColon = value.IndexOf((byte)':');
            if (portColon >= 0)
                host = value[..portColon];
        }
        if (portColon >= 0)
        {
            port = value[(portColon + 1)..];
            if (port.IndexOfAnyExceptInRange((byte)'0', (byte)'9') >= 0)
                return false;
        }
        if (host.Length > 1 && host[^1] == (byte)'.')
            host = host[..^1];
        return true;
    }

    /// <summary>A dotted-quad IPv4 address or a bracketed IPv6 one, as browsers serialise them.</summary>
    /// <remarks>
    /// Checked every request (browsers send <c>Host: 127.0.0.1:8080</c>), so with <see cref="IPAddress.IsValidUtf8"/>:
    /// TryParse made an IPAddress each time. IPv6 text always has a colon and IPv4 text never does, which is all the
    /// address family TryParse reported used to tell apart.
    /// </remarks>
    internal static bool IsIpLiteral(ReadOnlySpan<byte> host)
    {
        if (host.Length is < 2 or > 64)
            return false;
        if (host[0] == (byte)'[')
        {
            if (host[^1] != (byte)']')
                return false;
            var inner = host[1..^1];
            return inner.Contains((byte)':') && IPAddress.IsValidUtf8(inner);
        }
        // Only the canonical a.b.c.d form: IPAddress also parses "127.1" and "0x7f000001", which no browser sends.
        if (host.IndexOfAnyExcept("0123456789."u8) >= 0 || host.Count((byte)'.') != 3)
            return false;
        return IPAddress.IsValidUtf8(host);
    }
}
