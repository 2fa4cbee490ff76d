using TinySwap.Native;

namespace TinySwap.Http.Transport;

/// <summary>
/// A socket on our readiness loop as the stream an SslStream layers on, so a TLS connection's bytes move on the same
/// thread as everything else: a forwarder that reads a peer's answer over TLS and writes it to a plain client never
/// races a second thread (the runtime's engine) for the connection pool. Async only; the
/// <see cref="SocketConnection"/> owns the socket and its registration, so disposing this stream closes neither.
/// </summary>
internal sealed class ReadinessStream(SocketReadiness readiness) : Stream
{
    public override bool CanRead => true;
    public override bool CanWrite => true;
    public override bool CanSeek => false;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        // Zero bytes asked, zero bytes read: SslStream only asks for none when its own caller did.
        if (buffer.IsEmpty)
            return 0;
        using (readiness.CloseOn(cancellationToken))
        {
            try
            {
                return await readiness.ReceiveAsync(buffer);
            }
            catch (System.Net.Sockets.SocketException) when (cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException(cancellationToken);
            }
        }
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        using var cancel = readiness.CloseOn(cancellationToken);
        while (!buffer.IsEmpty)
        {
            var eventsBefore = readiness.WriteEventCount;
            var sent = readiness.Send(buffer.Span, out var errno);
            if (sent >= 0)
            {
                buffer = buffer[(int)sent..];
                continue;
            }
            if (errno != LibC.EAGAIN)
            {
                cancellationToken.ThrowIfCancellationRequested();
                throw SocketErrno.SendFailure(errno);
            }
            // Full: wait for room (rare for TLS records, which are at most 16 KiB).
            await readiness.WaitWritableAsync(eventsBefore);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Flush()
    {
    }

    // Nothing here may block the event thread: no synchronous reads or writes.
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
