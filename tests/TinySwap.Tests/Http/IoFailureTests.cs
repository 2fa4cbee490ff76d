using System.Net.Sockets;
using TinySwap.Http.Parsing;
using TinySwap.Http.Transport;

namespace TinySwap.Tests.Http;

/// <summary>The one exception classifier: each failure a connection can show maps to the kind call sites act on.</summary>
public sealed class IoFailureTests
{
    public static TheoryData<Exception, string> Cases() => new()
    {
        { new SocketException((int)SocketError.ConnectionReset), nameof(IoFailureKind.PeerClosed) },
        { new SocketException((int)SocketError.Shutdown), nameof(IoFailureKind.PeerClosed) },
        { new IOException("broken", new SocketException((int)SocketError.ConnectionAborted)), nameof(IoFailureKind.PeerClosed) },
        { new EndOfStreamException(), nameof(IoFailureKind.PeerClosed) },
        { new SocketException((int)SocketError.ConnectionRefused), nameof(IoFailureKind.Unreachable) },
        { new SocketException((int)SocketError.HostUnreachable), nameof(IoFailureKind.Unreachable) },
        { new SocketException((int)SocketError.TimedOut), nameof(IoFailureKind.TimedOut) },
        { new IOException("slow", new SocketException((int)SocketError.TimedOut)), nameof(IoFailureKind.TimedOut) },
        { new TimeoutException(), nameof(IoFailureKind.TimedOut) },
        { new OperationCanceledException(), nameof(IoFailureKind.Canceled) },
        { new TaskCanceledException(), nameof(IoFailureKind.Canceled) },
        { new ObjectDisposedException("socket"), nameof(IoFailureKind.ClosedByUs) },
        { new SocketException((int)SocketError.OperationAborted), nameof(IoFailureKind.ClosedByUs) },
        { new InvalidOperationException("Reading is not allowed after reader was completed."), nameof(IoFailureKind.ClosedByUs) },
        { new HttpRejectedException(HttpRejection.InvalidChunkSize), nameof(IoFailureKind.Protocol) },
        { new IOException("wrapped", new HttpRejectedException(HttpRejection.BodyTooLarge)), nameof(IoFailureKind.Protocol) },
        { new IOException("no cause"), nameof(IoFailureKind.Network) },
        { new SocketException((int)SocketError.NoBufferSpaceAvailable), nameof(IoFailureKind.Network) },
        { new NullReferenceException(), nameof(IoFailureKind.Unexpected) },
        { new ArgumentException("a bug"), nameof(IoFailureKind.Unexpected) },
        { new FormatException(), nameof(IoFailureKind.Unexpected) },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Classify_MapsEachFailureToItsKind(Exception exception, string kind)
    {
        var expected = Enum.Parse<IoFailureKind>(kind);
        Assert.Equal(expected, IoFailure.Classify(exception));
        Assert.Equal(expected != IoFailureKind.Unexpected, IoFailure.IsConnectionFailure(exception));
    }

    [Fact]
    public void EverySocketError_HasAKind_NoneIsUnexpected()
    {
        // A socket error is always the connection's problem, never a bug to rethrow.
        foreach (var error in Enum.GetValues<SocketError>())
            Assert.NotEqual(IoFailureKind.Unexpected, IoFailure.Classify(error));
    }
}
