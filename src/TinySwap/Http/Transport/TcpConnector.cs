using System.Net;
using System.Net.Sockets;
using TinySwap.Native;

namespace TinySwap.Http.Transport;

/// <summary>
/// Opens plain TCP connections on our readiness loop. Socket.ConnectAsync would register the socket with the runtime's
/// epoll for the rest of its life, and every later event on it would wake the runtime's thread as well as ours.
/// </summary>
internal static class TcpConnector
{
    /// <summary>
    /// Connects to <paramref name="endPoint"/>, trying each address of a host name in turn as the runtime does.
    /// Failures are SocketExceptions (the last address's), or OperationCanceledException.
    /// </summary>
    public static async ValueTask<(Socket Socket, SocketReadiness Readiness)> ConnectAsync(EndPoint endPoint, CancellationToken cancellationToken)
    {
        if (endPoint is IPEndPoint ip)
            return await ConnectAsync(ip, cancellationToken);
        var (host, port) = endPoint is DnsEndPoint dns
            ? (dns.Host, dns.Port)
            : throw new ArgumentException($"cannot connect to a {endPoint.GetType().Name}", nameof(endPoint));
        var addresses = await Dns.GetHostAddressesAsync(host, cancellationToken);
        if (addresses.Length == 0)
            throw new SocketException((int)SocketError.HostNotFound);
        SocketException? last = null;
        foreach (var address in addresses)
        {
            try
            {
                return await ConnectAsync(new IPEndPoint(address, port), cancellationToken);
            }
            catch (SocketException ex)
            {
                last = ex;
            }
        }
        throw last!;
    }

    private static async ValueTask<(Socket, SocketReadiness)> ConnectAsync(IPEndPoint endPoint, CancellationToken cancellationToken)
    {
        var family = endPoint.AddressFamily == AddressFamily.InterNetworkV6 ? LibC.AF_INET6 : LibC.AF_INET;
        var fd = Sys.socket(family, LibC.SOCK_STREAM | LibC.SOCK_NONBLOCK | LibC.SOCK_CLOEXEC, 0);
        if (fd < 0)
            throw SocketErrno.ToException(Sys.errno);
        var handle = new SafeSocketHandle(fd, ownsHandle: true);
        SocketReadiness? readiness = null;
        try
        {
            var errno = StartConnect(fd, endPoint);
            if (errno is not (0 or LibC.EINPROGRESS))
                throw SocketErrno.ToException(errno);
            // Registered after connect(2) has started: a socket that has not begun connecting reports EPOLLHUP.
            readiness = SocketReadiness.Register(handle);
            while (true)
            {
                var eventsBefore = readiness.WriteEventCount;
                var state = ConnectState(fd);
                if (state == 0)
                    break;
                if (state != LibC.EINPROGRESS)
                    throw SocketErrno.ToException(state);
                using (readiness.CloseOn(cancellationToken))
                    await readiness.WaitWritableAsync(eventsBefore);
                cancellationToken.ThrowIfCancellationRequested();
                if (readiness.IsClosed)
                    throw SocketReadiness.Aborted();
            }
            // The runtime reads the family, the blocking mode and both end points from the connected descriptor.
            return (new Socket(handle), readiness);
        }
        catch
        {
            readiness?.Close();
            handle.Dispose();
            throw;
        }
    }

    private static unsafe int StartConnect(int fd, IPEndPoint endPoint)
    {
        // SocketAddress holds the platform's own sockaddr bytes, which the runtime hands to connect(2) unchanged.
        var address = endPoint.Serialize();
        fixed (byte* p = address.Buffer.Span)
        {
            return Sys.connect(fd, (SockAddr*)p, (uint)address.Size) == 0 ? 0 : Sys.errno;
        }
    }

    /// <summary>0 once connected, the failure's errno, or EINPROGRESS while the handshake is still under way.</summary>
    private static unsafe int ConnectState(int fd)
    {
        int error;
        Tmds.Linux.socklen_t length = sizeof(int);
        if (Sys.getsockopt(fd, LibC.SOL_SOCKET, LibC.SO_ERROR, &error, &length) != 0)
            return Sys.errno;
        if (error != 0)
            return error;
        // No error yet is not the same as connected: an event may come before the handshake ends.
        var peer = stackalloc byte[128];
        Tmds.Linux.socklen_t peerLength = 128;
        if (Sys.getpeername(fd, (SockAddr*)peer, &peerLength) == 0)
            return 0;
        return Sys.errno == LibC.ENOTCONN ? LibC.EINPROGRESS : Sys.errno;
    }
}
