using System.Buffers;
using System.IO.Pipelines;
using System.Threading.Tasks.Sources;
using TinySwap.Native;

namespace TinySwap.Http.Transport;

/// <summary>
/// The output of a plain TCP connection: bytes are buffered in pooled arrays and FlushAsync hands them to the kernel
/// itself, one send(2) for one buffer and one sendmsg(2) (a gather list) for several. A flush allocates nothing, and
/// a send the kernel takes at once completes the flush synchronously; one it cannot take whole waits for write space
/// on our readiness loop (<see cref="SocketReadiness.WaitWritable"/>) and carries on from there. The layers this
/// replaces (StreamPipeWriter, NetworkStream, Socket.SendAsync) cost a lock, an async state machine and a send per
/// buffer. Backpressure is the socket's: a flush completes once the kernel has taken every byte, so a slow peer makes
/// FlushAsync slow. Single writer, as any PipeWriter: no write may start while a flush is pending.
/// </summary>
internal sealed class SocketPipeWriter : PipeWriter, IValueTaskSource<FlushResult>
{
    private const int MinimumSegmentBytes = 4096;
    // Later segments grow with what is already buffered, so a large flush (an upload's 64 KiB) is a few segments, and
    // one sendmsg(2) takes them all.
    private const int MaximumGrownSegmentBytes = 64 * 1024;

    private enum State
    {
        Idle,
        Sending,
        Completed,
        // Completed while a send waited for room: the send resumes once more before it ends, so its end returns them.
        CompletedWhileSending,
    }

    private static readonly Action<object?> s_onWritable = static writer => ((SocketPipeWriter)writer!).OnWritable();

    private readonly SocketReadiness _readiness;
    private readonly SocketConnection _connection;
    private readonly List<ArraySegment<byte>> _segments = [];
    private byte[]? _tail;
    private int _tailLength;
    // Where the flush in progress stands: bytes of the first buffer already sent, and the errno that ended it.
    private int _sentOfFirst;
    private int _sendErrno;
    private long _buffered;
    private int _state;
    private bool _flushCanceled;
    private ManualResetValueTaskSourceCore<FlushResult> _pendingFlush;
    private CancellationToken _pendingToken;
    private CancellationTokenRegistration _pendingRegistration;

    public SocketPipeWriter(SocketReadiness readiness, SocketConnection connection)
    {
        _readiness = readiness;
        _connection = connection;
        // The continuation (the proxy's copy loop) runs on the thread that saw the send finish, as the input pipe does.
        _pendingFlush.RunContinuationsAsynchronously = false;
    }

    public override bool CanGetUnflushedBytes => true;

    public override long UnflushedBytes => _buffered;

    public override void Advance(int bytes)
    {
        if (_tail is null || (uint)bytes > (uint)(_tail.Length - _tailLength))
            throw new ArgumentOutOfRangeException(nameof(bytes), "advanced past the buffer GetMemory returned");
        _tailLength += bytes;
        _buffered += bytes;
    }

    public override Memory<byte> GetMemory(int sizeHint = 0) => EnsureTail(sizeHint).AsMemory(_tailLength);

    public override Span<byte> GetSpan(int sizeHint = 0) => EnsureTail(sizeHint).AsSpan(_tailLength);

    private byte[] EnsureTail(int sizeHint)
    {
        if (Volatile.Read(ref _state) >= (int)State.Completed)
            ThrowCompleted();
        if (_tail is { } tail && tail.Length - _tailLength >= Math.Max(sizeHint, 1))
            return tail;
        if (_tail is not null && _tailLength > 0)
            _segments.Add(new ArraySegment<byte>(_tail, 0, _tailLength));
        else if (_tail is not null)
            ArrayPool<byte>.Shared.Return(_tail);
        var size = Math.Max(sizeHint, Math.Max(MinimumSegmentBytes, (int)Math.Min(_buffered, MaximumGrownSegmentBytes)));
        _tail = ArrayPool<byte>.Shared.Rent(size);
        _tailLength = 0;
        return _tail;
    }

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        if (_flushCanceled)
        {
            // CancelPendingFlush with no flush pending cancels the next one; the bytes stay buffered for a later flush.
            _flushCanceled = false;
            return new(new FlushResult(isCanceled: true, isCompleted: false));
        }
        if (_buffered == 0)
            return new(default(FlushResult));
        cancellationToken.ThrowIfCancellationRequested();
        switch ((State)Interlocked.CompareExchange(ref _state, (int)State.Sending, (int)State.Idle))
        {
            case State.Sending:
                throw new InvalidOperationException("a flush is already pending on this connection");
            case State.Completed or State.CompletedWhileSending:
                ThrowCompleted();
                break;
        }

        if (_segments.Count > 0)
        {
            if (_tailLength > 0)
                _segments.Add(new ArraySegment<byte>(_tail!, 0, _tailLength));
            else if (_tail is not null)
                ArrayPool<byte>.Shared.Return(_tail);
            _tail = null;
            _tailLength = 0;
        }
        _sentOfFirst = 0;

        // Registered before the send starts: a send that waits may be resumed on the event thread at any time.
        _pendingFlush.Reset();
        _pendingToken = cancellationToken;
        if (cancellationToken.CanBeCanceled)
            _pendingRegistration = cancellationToken.UnsafeRegister(static writer => ((SocketPipeWriter)writer!).AbortPendingSend(), this);
        if (!SendBuffered())
            return new(this, _pendingFlush.Version);
        var result = EndSend();
        return result.Exception is null ? new(result.Flush) : ValueTask.FromException<FlushResult>(result.Exception);
    }

    /// <summary>
    /// Sends what is buffered. True when the flush has ended (every byte taken, or an error in _sendErrno); false when
    /// the socket is full and <see cref="OnWritable"/> will carry on.
    /// </summary>
    private bool SendBuffered()
    {
        while (true)
        {
            var eventsBefore = _readiness.WriteEventCount;
            int errno;
            var sent = _segments.Count == 0
                ? _readiness.Send(_tail.AsSpan(_sentOfFirst, _tailLength - _sentOfFirst), out errno)
                : _readiness.SendGather(_segments, _sentOfFirst, out errno);
            if (sent >= 0)
            {
                if (ConsumeSent((int)sent))
                    return true;
                continue;
            }
            if (errno != LibC.EAGAIN)
            {
                _sendErrno = errno;
                return true;
            }
            if (_readiness.WaitWritable(eventsBefore, s_onWritable, this))
                return false;
        }
    }

    /// <summary>Moves past what the kernel took, returning sent buffers to the pool; true when nothing is left.</summary>
    private bool ConsumeSent(int sent)
    {
        if (_segments.Count == 0)
        {
            _sentOfFirst += sent;
            return _sentOfFirst == _tailLength;
        }
        while (sent > 0)
        {
            var first = _segments[0];
            var left = first.Count - _sentOfFirst;
            if (sent < left)
            {
                _sentOfFirst += sent;
                return false;
            }
            sent -= left;
            _sentOfFirst = 0;
            ArrayPool<byte>.Shared.Return(first.Array!);
            _segments.RemoveAt(0);
        }
        return _segments.Count == 0;
    }

    private void OnWritable()
    {
        if (SendBuffered())
            OnSendCompleted();
    }

    /// <summary>
    /// Cancels the pending flush, which then reports <see cref="FlushResult.IsCanceled"/>, or else the next one. A send
    /// the kernel has begun cannot be taken back, and a peer that got part of it cannot be resynchronised, so a pending
    /// send resets the connection.
    /// </summary>
    public override void CancelPendingFlush()
    {
        _flushCanceled = true;
        if (Volatile.Read(ref _state) == (int)State.Sending)
            AbortPendingSend();
    }

    private void AbortPendingSend() => _connection.Abort();

    private readonly record struct SendResult(FlushResult Flush, Exception? Exception);

    /// <summary>The send's end, synchronous or not: buffers back to the pool, errors sorted as NetworkStream sorts them.</summary>
    private SendResult EndSend()
    {
        _pendingRegistration.Dispose();
        _pendingRegistration = default;
        var token = _pendingToken;
        _pendingToken = default;
        var errno = _sendErrno;
        _sendErrno = 0;
        ReleaseBuffers();
        if (Interlocked.CompareExchange(ref _state, (int)State.Idle, (int)State.Sending) == (int)State.CompletedWhileSending)
            _state = (int)State.Completed;

        if (errno == 0)
            return new(default, null);
        if (token.IsCancellationRequested)
            return new(default, new OperationCanceledException(token));
        if (_flushCanceled)
        {
            _flushCanceled = false;
            return new(new FlushResult(isCanceled: true, isCompleted: false), null);
        }
        return new(default, SocketErrno.SendFailure(errno));
    }

    private void ReleaseBuffers()
    {
        foreach (var segment in _segments)
            ArrayPool<byte>.Shared.Return(segment.Array!);
        _segments.Clear();
        if (_tail is not null)
            ArrayPool<byte>.Shared.Return(_tail);
        _tail = null;
        _tailLength = 0;
        _buffered = 0;
    }

    private void OnSendCompleted()
    {
        var result = EndSend();
        if (result.Exception is null)
            _pendingFlush.SetResult(result.Flush);
        else
            _pendingFlush.SetException(result.Exception);
    }

    /// <summary>Drops what was not flushed; a send still in flight keeps its buffers until it ends.</summary>
    public override void Complete(Exception? exception = null)
    {
        while (true)
        {
            switch ((State)Volatile.Read(ref _state))
            {
                case State.Idle when Interlocked.CompareExchange(ref _state, (int)State.Completed, (int)State.Idle) == (int)State.Idle:
                    ReleaseBuffers();
                    return;
                case State.Sending when Interlocked.CompareExchange(ref _state, (int)State.CompletedWhileSending, (int)State.Sending) == (int)State.Sending:
                case State.Completed or State.CompletedWhileSending:
                    return;
            }
        }
    }

    private static void ThrowCompleted() => throw new InvalidOperationException("writing is not allowed after the writer was completed");

    FlushResult IValueTaskSource<FlushResult>.GetResult(short token) => _pendingFlush.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<FlushResult>.GetStatus(short token) => _pendingFlush.GetStatus(token);

    void IValueTaskSource<FlushResult>.OnCompleted(Action<object?> continuation, object? state, short token,
        ValueTaskSourceOnCompletedFlags flags) => _pendingFlush.OnCompleted(continuation, state, token, flags);
}
