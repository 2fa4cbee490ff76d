using System.Net.Sockets;
using TinySwap.Native;

namespace TinySwap.Http.Transport;

/// <summary>Our own socket calls' errno values as the exceptions the rest of the code (IoFailure) already sorts.</summary>
internal static class SocketErrno
{
    /// <summary>errno from recv(2), send(2) or connect(2) as the SocketError the rest of the code (IoFailure) already sorts.</summary>
    public static SocketException ToException(int errno) => new((int)(errno switch
    {
        LibC.ECONNRESET => SocketError.ConnectionReset,
        LibC.ECONNABORTED => SocketError.ConnectionAborted,
        LibC.ECONNREFUSED => SocketError.ConnectionRefused,
        LibC.ETIMEDOUT => SocketError.TimedOut,
        LibC.ENOTCONN => SocketError.NotConnected,
        LibC.EPIPE => SocketError.Shutdown,
        LibC.EHOSTUNREACH => SocketError.HostUnreachable,
        LibC.ENETUNREACH => SocketError.NetworkUnreachable,
        LibC.ENETDOWN => SocketError.NetworkDown,
        LibC.EBADF => SocketError.OperationAborted,
        _ => SocketError.SocketError,
    }));

    /// <summary>A failed send in NetworkStream's shape, which every caller already knows: the socket error inside an IOException.</summary>
    public static IOException SendFailure(int errno)
    {
        var error = ToException(errno);
        return new IOException($"Unable to write data to the transport connection: {error.SocketErrorCode}.", error);
    }
}
