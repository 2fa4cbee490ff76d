using System.Runtime.InteropServices;
using TinySwap.Native;

namespace TinySwap.Http.Transport;

internal sealed unsafe partial class SocketReadiness
{
    // iovecs per sendmsg(2): a flush is a few segments (they grow to 64 KiB), so more would only cost stack.
    private const int MaxGather = 16;
    // MSG_NOSIGNAL: a peer that is gone answers EPIPE instead of raising SIGPIPE.
    private const int SendFlags = LibC.MSG_DONTWAIT | LibC.MSG_NOSIGNAL;

    /// <summary>Write events seen so far: read it before a send, and hand it to <see cref="WaitWritable"/> if the send fell short.</summary>
    public long WriteEventCount => Volatile.Read(ref _writeEvents);

    /// <summary>
    /// Waits for room to send after a send that fell short: true when <paramref name="callback"/> will be called (by
    /// the loop on EPOLLOUT, or by <see cref="Close"/>); false when an event came since <paramref name="countBeforeSend"/>
    /// or the socket closed, so the caller sends again now.
    /// </summary>
    public bool WaitWritable(long countBeforeSend, Action<object?> callback, object? state)
    {
        _onWritable = callback;
        _onWritableState = state;
        Interlocked.Exchange(ref _writeWaiting, 1);
        if (Volatile.Read(ref _writeEvents) == countBeforeSend && !IsClosed)
            return true;
        if (Interlocked.Exchange(ref _writeWaiting, 0) == 0)
            return true;
        _onWritable = null;
        _onWritableState = null;
        return false;
    }

    /// <summary>
    /// <see cref="WaitWritable"/> as a task, for the rare waits that need not be allocation-free (a connect, a TLS
    /// record): complete at once when room came since <paramref name="countBeforeSend"/> or the socket closed.
    /// </summary>
    public Task WaitWritableAsync(long countBeforeSend)
    {
        var room = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return WaitWritable(countBeforeSend, static s => ((TaskCompletionSource)s!).TrySetResult(), room) ? room.Task : Task.CompletedTask;
    }

    /// <summary>
    /// Closes this registration when <paramref name="cancellationToken"/> fires: a wait cannot be taken back, so
    /// cancelling one (a connect or handshake deadline) ends the connection, and the woken wait then fails.
    /// </summary>
    public CancellationTokenRegistration CloseOn(CancellationToken cancellationToken) =>
        cancellationToken.UnsafeRegister(static r => ((SocketReadiness)r!).Close(), this);

    private void InvokeWritable()
    {
        var callback = _onWritable!;
        var state = _onWritableState;
        _onWritable = null;
        _onWritableState = null;
        callback(state);
    }

    /// <summary>One send(2) without blocking: bytes taken (maybe fewer than offered), or -1 with errno (EAGAIN: full).</summary>
    public nint Send(ReadOnlySpan<byte> data, out int errno)
    {
        errno = 0;
        if (!TryAddRef())
        {
            errno = LibC.EBADF;
            return -1;
        }
        try
        {
            nint sent;
            do
            {
                fixed (byte* p = data)
                    sent = (nint)Sys.send(_fd, p, data.Length, SendFlags);
            }
            while (sent < 0 && (errno = Sys.errno) == LibC.EINTR);
            return sent;
        }
        finally
        {
            _handle.DangerousRelease();
        }
    }

    /// <summary>
    /// One sendmsg(2) of <paramref name="segments"/> (up to <see cref="MaxGather"/> of them), the first starting
    /// <paramref name="firstOffset"/> bytes in: bytes taken, or -1 with errno.
    /// </summary>
    public nint SendGather(List<ArraySegment<byte>> segments, int firstOffset, out int errno)
    {
        errno = 0;
        if (!TryAddRef())
        {
            errno = LibC.EBADF;
            return -1;
        }
        var count = Math.Min(segments.Count, MaxGather);
        var vectors = stackalloc Tmds.Linux.iovec[count];
        // The arrays are pooled, not pinned; the kernel copies them during the call, so they are pinned for its length.
        var pins = stackalloc GCHandle[count];
        var pinned = 0;
        try
        {
            for (; pinned < count; pinned++)
            {
                var segment = segments[pinned];
                var skip = pinned == 0 ? firstOffset : 0;
                pins[pinned] = GCHandle.Alloc(segment.Array, GCHandleType.Pinned);
                vectors[pinned].iov_base = (byte*)pins[pinned].AddrOfPinnedObject() + segment.Offset + skip;
                vectors[pinned].iov_len = segment.Count - skip;
            }
            var message = new Tmds.Linux.msghdr { msg_iov = vectors, msg_iovlen = count };
            nint sent;
            while ((sent = (nint)Sys.sendmsg(_fd, &message, SendFlags)) < 0 && (errno = Sys.errno) == LibC.EINTR)
            {
            }
            return sent;
        }
        finally
        {
            for (var i = 0; i < pinned; i++)
                pins[i].Free();
            _handle.DangerousRelease();
        }
    }

    /// <summary>A reference on the handle for one call (the descriptor stays ours); false once closed.</summary>
    private bool TryAddRef()
    {
        if (IsClosed)
            return false;
        var added = false;
        try
        {
            _handle.DangerousAddRef(ref added);
        }
        catch (ObjectDisposedException)
        {
        }
        return added;
    }
}
