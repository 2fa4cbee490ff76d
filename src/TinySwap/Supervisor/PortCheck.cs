using System.Net;
using System.Net.Sockets;
using TinySwap.Native;

namespace TinySwap.Supervisor;

/// <summary>
/// "Is the model's port free?" before we spawn: an orphan or another service answering /health there
/// would otherwise pass our health check and be taken for our model.
/// </summary>
internal static unsafe class PortCheck
{
    /// <summary>Null when the port can be bound (or the host is not local, so there is nothing to check); else the reason.</summary>
    public static string? Check(Uri proxy)
    {
        var port = proxy.Port;
        if (port <= 0)
            return null;
        IPAddress address;
        if (proxy.IsLoopback && !IPAddress.TryParse(proxy.IdnHost, out _))
            address = IPAddress.Loopback; // "localhost"
        else if (!IPAddress.TryParse(proxy.IdnHost, out address!))
            return null; // a name we do not resolve: another machine, nothing of ours can collide there

        var fd = Sys.socket(address.AddressFamily == AddressFamily.InterNetworkV6 ? LibC.AF_INET6 : LibC.AF_INET, LibC.SOCK_STREAM | LibC.SOCK_CLOEXEC, 0);
        if (fd < 0)
            return null;
        try
        {
            // SO_REUSEADDR so a connection of a previous run lingering in TIME_WAIT does not count as "taken";
            // a listener (any address, either family when dual-stack) still does. Not .NET's Socket: its
            // ReuseAddress also sets SO_REUSEPORT, which would let us share a port with a SO_REUSEPORT listener.
            var one = 1;
            Sys.setsockopt(fd, LibC.SOL_SOCKET, LibC.SO_REUSEADDR, &one, sizeof(int));
            // Any other failure (EADDRNOTAVAIL: not an address of this machine) is not ours to judge.
            if (Bind(fd, address, port) == 0 || Errno.Last != LibC.EADDRINUSE)
                return null;
            return $"port {port} is already in use by another process (an orphaned server or another service); " +
                "refusing to start so that it is not mistaken for this model";
        }
        finally
        {
            Sys.close(fd);
        }
    }

    private static int Bind(int fd, IPAddress address, int port)
    {
        var networkPort = (ushort)IPAddress.HostToNetworkOrder((short)port);
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var sa = new SockAddrIn6 { sin6_family = LibC.AF_INET6, sin6_port = networkPort };
            address.TryWriteBytes(new Span<byte>(&sa.sin6_addr, 16), out _);
            return Sys.bind(fd, (SockAddr*)&sa, sizeof(SockAddrIn6));
        }
        var sa4 = new SockAddrIn { sin_family = LibC.AF_INET, sin_port = networkPort };
        address.TryWriteBytes(new Span<byte>(&sa4.sin_addr, 4), out _);
        return Sys.bind(fd, (SockAddr*)&sa4, sizeof(SockAddrIn));
    }
}
