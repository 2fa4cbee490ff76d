using System.Net.Sockets;
using System.Threading.Tasks.Sources;
using TinySwap.Native;

namespace TinySwap.Http.Transport;

/// <summary>
/// One TCP socket on <see cref="ReadinessLoop"/>'s edge-triggered epoll, read and written the way nginx does (TLS
/// through <see cref="ReadinessStream"/> over it).
/// A read that comes back short has emptied the socket, so the next receive waits for the next event instead of
/// calling recv(2) to be told EAGAIN (the runtime's Socket.ReceiveAsync always tries first: two empty recv calls per
/// proxied request, plus its operation queue on every wait). Sends go straight to send(2)/sendmsg(2); only one the
/// kernel cannot take whole waits for EPOLLOUT. The runtime's engine never sees the socket: a socket registered with
/// both epolls wakes both threads on every event (measured: +30% CPU per request).
/// One receive and one send wait at a time; <see cref="Close"/> may come from any thread.
/// </summary>
internal sealed unsafe partial class SocketReadiness : IValueTaskSource<int>
{
    // An error or hang-up wakes both directions: the read or send it wakes then reports it.
    private const int ReadEvents = LibC.EPOLLIN | LibC.EPOLLRDHUP | LibC.EPOLLHUP | LibC.EPOLLERR;
    private const int WriteEvents = LibC.EPOLLOUT | LibC.EPOLLHUP | LibC.EPOLLERR;

    private readonly SafeSocketHandle _handle;
    private readonly int _fd;
    // Continuations run inline: a reader resumes on the readiness loop's thread, where its bytes were read.
    private ManualResetValueTaskSourceCore<int> _completion;
    private Memory<byte> _waitingBuffer;
    // Read events counted by the loop thread, and the count our last read saw before it found the socket empty:
    // equal means nothing arrived since, so a read would only return EAGAIN.
    private long _readEvents;
    private long _readEventsWhenDrained = -1;
    private int _readWaiting;
    // Set once an event said the peer closed or the socket failed: a short read may then be followed by the end of
    // stream or the error with no further event, so reads go on until recv(2) says so (nginx's pending_eof).
    private int _peerClosed;
    private long _writeEvents;
    private Action<object?>? _onWritable;
    private object? _onWritableState;
    private int _writeWaiting;
    private int _closed;

    private SocketReadiness(SafeSocketHandle handle)
    {
        _handle = handle;
        _fd = (int)handle.DangerousGetHandle();
    }

    internal int Slot { get; set; }
    internal uint Generation { get; set; }

    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    /// <summary>An event has said the peer closed or the socket failed (what follows may still be bytes ahead of it).</summary>
    public bool PeerClosed => Volatile.Read(ref _peerClosed) != 0;

    /// <summary>Read events the loop has delivered so far.</summary>
    internal long ReadEventCount => Volatile.Read(ref _readEvents);

    /// <summary>Registers an open socket; throws when epoll will not take it (ENOSPC past fs.epoll.max_user_watches).</summary>
    public static SocketReadiness Register(SafeSocketHandle handle)
    {
        var readiness = new SocketReadiness(handle);
        if (!ReadinessLoop.TryRegister(readiness, readiness._fd, out var errno))
            throw new IOException($"cannot watch the connection: epoll_ctl: {Errno.Describe(errno)}", SocketErrno.ToException(errno));
        return readiness;
    }

    /// <summary>
    /// Called on the loop's thread when an event says the peer closed or the socket failed while no receive waits to
    /// read it (the argument is the event mask), so an owner that reads on demand still learns at once that its peer
    /// left. Set before the first event can arrive or while nothing reads.
    /// </summary>
    public Action<int>? PeerClosing { get; set; }

    /// <summary>Reads into <paramref name="buffer"/> (not empty); 0 is the peer's end of stream, -1 a receive taken back by <see cref="CancelReceive"/>.</summary>
    public ValueTask<int> ReceiveAsync(Memory<byte> buffer)
    {
        while (true)
        {
            if (TryReceive(buffer.Span, out var received, out var error))
                return error is null ? new ValueTask<int>(received) : ValueTask.FromException<int>(error);
            _waitingBuffer = buffer;
            _completion.Reset();
            if (TryWaitReadable())
                return new ValueTask<int>(this, _completion.Version);
        }
    }

    /// <summary>Called by the readiness loop for every event on this socket.</summary>
    internal void OnEvents(int events)
    {
        // Each increment comes first and is a full fence: a waiter that publishes itself after our look at its flag
        // below then sees the new count and takes its wait back (TryWait...), so no event is lost between us.
        if ((events & WriteEvents) != 0)
        {
            Interlocked.Increment(ref _writeEvents);
            if (Volatile.Read(ref _writeWaiting) != 0 && Interlocked.Exchange(ref _writeWaiting, 0) == 1)
                InvokeWritable();
        }
        if ((events & ReadEvents) == 0)
            return;
        var closing = (events & (LibC.EPOLLRDHUP | LibC.EPOLLHUP | LibC.EPOLLERR)) != 0;
        if (closing)
            Volatile.Write(ref _peerClosed, 1);
        Interlocked.Increment(ref _readEvents);
        if (Volatile.Read(ref _readWaiting) == 0 || Interlocked.Exchange(ref _readWaiting, 0) == 0)
        {
            if (closing)
                PeerClosing?.Invoke(events);
            return;
        }
        do
        {
            if (TryReceive(_waitingBuffer.Span, out var received, out var error))
            {
                CompleteReceive(received, error);
                return;
            }
        }
        // Nothing there after all (the event was for data a previous read already took): wait on.
        while (!TryWaitReadable());
    }

    /// <summary>
    /// Stops both directions: a waiting receive fails as aborted, a waiting send is called back (and its send then
    /// fails). Call before the socket is disposed.
    /// </summary>
    public void Close()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
            return;
        var added = false;
        try
        {
            _handle.DangerousAddRef(ref added);
        }
        catch (ObjectDisposedException)
        {
        }
        try
        {
            ReadinessLoop.Unregister(this, _fd, descriptorOpen: added);
        }
        finally
        {
            if (added)
                _handle.DangerousRelease();
        }
        if (Interlocked.Exchange(ref _readWaiting, 0) == 1)
            CompleteReceive(0, Aborted());
        if (Interlocked.Exchange(ref _writeWaiting, 0) == 1)
            InvokeWritable();
    }

    /// <summary>
    /// Ends a waiting receive with -1 (any thread); false when none waits, or the loop or <see cref="Close"/> is
    /// completing it already.
    /// </summary>
    public bool CancelReceive()
    {
        if (Volatile.Read(ref _readWaiting) == 0 || Interlocked.Exchange(ref _readWaiting, 0) == 0)
            return false;
        CompleteReceive(-1, null);
        return true;
    }

    /// <summary>
    /// Whether the peer's end of stream is the next thing to read (MSG_PEEK, so nothing is taken): after EPOLLRDHUP,
    /// bytes may still wait ahead of the FIN (a pipelined request, the end of a body), and a peer that sent them has
    /// not left until they are read (nginx's broken-connection check does the same). An error also counts as the end.
    /// </summary>
    public bool PeekIsEnd()
    {
        if (!TryAddRef())
            return true;
        nint result;
        var errno = 0;
        byte one;
        try
        {
            do
                result = (nint)Sys.recv(_fd, &one, 1, LibC.MSG_PEEK | LibC.MSG_DONTWAIT);
            while (result < 0 && (errno = Sys.errno) == LibC.EINTR);
        }
        finally
        {
            _handle.DangerousRelease();
        }
        return result == 0 || (result < 0 && errno != LibC.EAGAIN);
    }

    /// <summary>
    /// Publishes the read wait. True when it stands; false when an event or Close came in since the last read saw the
    /// socket empty and we took the wait back, so the caller reads again.
    /// </summary>
    private bool TryWaitReadable()
    {
        Interlocked.Exchange(ref _readWaiting, 1);
        if (Volatile.Read(ref _readEvents) == _readEventsWhenDrained && !IsClosed)
            return true;
        // Whoever changes the flag from 1 first owns the completion: if the loop or Close got there, the wait stands.
        return Interlocked.Exchange(ref _readWaiting, 0) == 0;
    }

    /// <summary>
    /// One recv(2) without waiting, unless the socket is known to be empty (no receive may be waiting): true with the
    /// bytes, the end of stream (0) or the error; false means "wait for an event".
    /// </summary>
    public bool TryReceive(Span<byte> buffer, out int received, out Exception? error)
    {
        received = 0;
        error = null;
        var events = Volatile.Read(ref _readEvents);
        if (events == _readEventsWhenDrained && !IsClosed)
            return false;
        // The reference keeps the descriptor from being closed, and its number reused, during the call.
        if (!TryAddRef())
        {
            error = Aborted();
            return true;
        }
        nint result;
        var errno = 0;
        try
        {
            do
            {
                fixed (byte* p = buffer)
                    result = (nint)Sys.recv(_fd, p, buffer.Length, LibC.MSG_DONTWAIT);
            }
            while (result < 0 && (errno = Sys.errno) == LibC.EINTR);
        }
        finally
        {
            _handle.DangerousRelease();
        }
        if (result >= 0)
        {
            // A short read emptied the socket (recv(2) returns what is queued, up to the buffer), unless the peer's FIN
            // or an error waits behind the data: their event may be the very one counted above. An end of stream is
            // final. Otherwise the next receive waits for an event that comes after the count we read above.
            if (result < buffer.Length && (result == 0 || Volatile.Read(ref _peerClosed) == 0))
                _readEventsWhenDrained = events;
            received = (int)result;
            return true;
        }
        if (errno == LibC.EAGAIN)
        {
            _readEventsWhenDrained = events;
            return false;
        }
        error = SocketErrno.ToException(errno);
        return true;
    }

    private void CompleteReceive(int received, Exception? error)
    {
        _waitingBuffer = default;
        if (error is null)
            _completion.SetResult(received);
        else
            _completion.SetException(error);
    }

    // What the runtime reports for an operation whose socket we closed; IoFailure sorts it as ClosedByUs.
    internal static SocketException Aborted() => new((int)SocketError.OperationAborted);

    int IValueTaskSource<int>.GetResult(short token) => _completion.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<int>.GetStatus(short token) => _completion.GetStatus(token);

    void IValueTaskSource<int>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _completion.OnCompleted(continuation, state, token, flags);
}
