using System.Net.Sockets;
using TinySwap.Http.Parsing;

namespace TinySwap.Http.Transport;

/// <summary>What went wrong with a connection, sorted the way a proxy has to react to it (YARP's ForwarderError model).</summary>
internal enum IoFailureKind : byte
{
    /// <summary>Not a failure of the connection: a bug, which must not be swallowed as if the peer had left.</summary>
    Unexpected,

    /// <summary>The peer reset or closed the connection under us (ECONNRESET, EPIPE, end of stream mid-message).</summary>
    PeerClosed,

    /// <summary>No one to talk to: connection refused, host or network unreachable, name not found.</summary>
    Unreachable,

    /// <summary>The network or the peer did not answer in time (ETIMEDOUT, a TimeoutException).</summary>
    TimedOut,

    /// <summary>We canceled the operation (a token: client gone, deadline, shutdown).</summary>
    Canceled,

    /// <summary>We closed or aborted the connection ourselves, and an operation still running on it noticed.</summary>
    ClosedByUs,

    /// <summary>The peer broke HTTP's rules (a <see cref="HttpRejectedException"/> from our parsers).</summary>
    Protocol,

    /// <summary>Any other network error (a socket error we have no better name for, an IOException without a cause).</summary>
    Network,
}

/// <summary>
/// The one place that decides which exceptions are "the connection failed" and which are bugs. Call sites catch with
/// <c>when (IoFailure.Classify(ex) is var kind and not IoFailureKind.Unexpected)</c> and switch on the kind, instead of
/// each keeping its own list of exception types (sixteen lists had drifted apart: some caught InvalidOperationException
/// or OperationCanceledException from a torn-down pipe, others let the same failure escape as a handler crash).
/// </summary>
internal static class IoFailure
{
    public static IoFailureKind Classify(Exception exception) => exception switch
    {
        HttpRejectedException => IoFailureKind.Protocol,
        OperationCanceledException => IoFailureKind.Canceled,
        TimeoutException => IoFailureKind.TimedOut,
        SocketException socket => Classify(socket.SocketErrorCode),
        // Sockets and NetworkStream wrap the socket error in an IOException; the cause is what matters.
        IOException { InnerException: SocketException socket } => Classify(socket.SocketErrorCode),
        IOException { InnerException: HttpRejectedException } => IoFailureKind.Protocol,
        EndOfStreamException => IoFailureKind.PeerClosed,
        IOException => IoFailureKind.Network,
        ObjectDisposedException => IoFailureKind.ClosedByUs,
        // A pipe used after we completed it (the connection was torn down while an operation was in flight).
        InvalidOperationException => IoFailureKind.ClosedByUs,
        _ => IoFailureKind.Unexpected,
    };

    public static IoFailureKind Classify(SocketError error) => error switch
    {
        SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown or SocketError.NotConnected
            or SocketError.Disconnecting => IoFailureKind.PeerClosed,
        SocketError.ConnectionRefused or SocketError.HostUnreachable or SocketError.NetworkUnreachable or SocketError.HostNotFound
            or SocketError.HostDown or SocketError.NetworkDown or SocketError.AddressNotAvailable or SocketError.TryAgain
            or SocketError.NoData => IoFailureKind.Unreachable,
        SocketError.TimedOut => IoFailureKind.TimedOut,
        // What a pending receive or send reports when we dispose its socket.
        SocketError.OperationAborted or SocketError.Interrupted => IoFailureKind.ClosedByUs,
        _ => IoFailureKind.Network,
    };

    /// <summary>
    /// What a connection's input reports for a failed read: null when we closed the connection ourselves (the reader
    /// sees a quiet end and learns why through the connection's Closed), a bug as it is, and any other failure wrapped
    /// with its kind. Whatever the peer did is no end of stream: a close-delimited body cut short by a reset must read
    /// as an error, never as complete.
    /// </summary>
    public static Exception? InputFailure(Exception exception, bool closedByUs)
    {
        var kind = Classify(exception);
        if (kind == IoFailureKind.Unexpected)
            return exception;
        if (kind == IoFailureKind.ClosedByUs || closedByUs)
            return null;
        return new IOException($"connection failed ({kind}: {exception.Message})", exception);
    }

    /// <summary>True for every kind but <see cref="IoFailureKind.Unexpected"/>: the connection failed, the process did not.</summary>
    public static bool IsConnectionFailure(Exception exception) => Classify(exception) != IoFailureKind.Unexpected;
}
