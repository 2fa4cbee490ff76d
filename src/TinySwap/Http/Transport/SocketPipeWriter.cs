using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Threading.Tasks.Sources;

namespace TinySwap.Http.Transport;

/// <summary>
/// The output of a plain TCP connection: bytes are buffered in pooled arrays and FlushAsync hands them to the kernel
/// itself, one send for one buffer and one sendmsg (a gather list) for several, through one reused
/// <see cref="SocketAsyncEventArgs"/> that is also the flush's awaitable (Kestrel's SocketSender shape). A flush
/// allocates nothing, and a send the kernel takes at once completes the flush synchronously. The layers this replaces
/// (StreamPipeWriter, NetworkStream, Socket.SendAsync) cost a lock, an async state machine and a send per buffer.
/// Backpressure is the socket's: a send completes once the kernel has taken every byte, so a slow peer makes
/// FlushAsync slow. Single writer, as any PipeWriter: no write may start while a flush is pending.
/// </summary>
internal sealed class SocketPipeWriter : PipeWriter, IValueTaskSource<FlushResult>
{
    private const int MinimumSegmentBytes = 4096;
    // Later segments grow with what is already buffered, so a large flush (an upload's 64 KiB) is a few segments: the
    // runtime gathers up to 8 of them without allocating (SocketPal's stack threshold for iovecs).
    private const int MaximumGrownSegmentBytes = 64 * 1024;

    private enum State
    {
        Idle,
        Sending,
        Completed,
        // Completed while a send was in flight: the kernel may still read our buffers, so the send's end returns them.
        CompletedWhileSending,
    }

    private readonly Socket _socket;
    private readonly SocketConnection _connection;
    private readonly SendArgs _args;
    private readonly List<ArraySegment<byte>> _segments = [];
    private byte[]? _tail;
    private int _tailLength;
    private long _buffered;
    private int _state;
    private bool _flushCanceled;
    private ManualResetValueTaskSourceCore<FlushResult> _pendingFlush;
    private CancellationToken _pendingToken;
    private CancellationTokenRegistration _pendingRegistration;

    public SocketPipeWriter(Socket socket, SocketConnection connection)
    {
        _socket = socket;
        _connection = connection;
        _args = new SendArgs(this);
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

        if (_segments.Count == 0)
        {
            _args.BufferList = null;
            _args.SetBuffer(_tail, 0, _tailLength);
        }
        else
        {
            if (_tailLength > 0)
                _segments.Add(new ArraySegment<byte>(_tail!, 0, _tailLength));
            else if (_tail is not null)
                ArrayPool<byte>.Shared.Return(_tail);
            _tail = null;
            _tailLength = 0;
            _args.SetBuffer(null, 0, 0);
            _args.BufferList = _segments;
        }

        // Registered before the send starts: its completion may run on the event thread before SendAsync returns here.
        _pendingFlush.Reset();
        _pendingToken = cancellationToken;
        if (cancellationToken.CanBeCanceled)
            _pendingRegistration = cancellationToken.UnsafeRegister(static writer => ((SocketPipeWriter)writer!).AbortPendingSend(), this);
        bool pending;
        try
        {
            pending = _socket.SendAsync(_args);
        }
        catch (Exception ex)
        {
            EndSend();
            // The token fired between the check above and the send: its abort disposed the socket under us.
            if (ex is ObjectDisposedException && cancellationToken.IsCancellationRequested)
                throw new OperationCanceledException(cancellationToken);
            throw;
        }
        if (pending)
            return new(this, _pendingFlush.Version);
        var result = EndSend();
        return result.Exception is null ? new(result.Flush) : ValueTask.FromException<FlushResult>(result.Exception);
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
        var error = _args.SocketError;
        ReleaseBuffers();
        if (Interlocked.CompareExchange(ref _state, (int)State.Idle, (int)State.Sending) == (int)State.CompletedWhileSending)
        {
            _state = (int)State.Completed;
            _args.Dispose();
        }

        if (error == SocketError.Success)
            return new(default, null);
        if (token.IsCancellationRequested)
            return new(default, new OperationCanceledException(token));
        if (_flushCanceled)
        {
            _flushCanceled = false;
            return new(new FlushResult(isCanceled: true, isCompleted: false), null);
        }
        // NetworkStream's shape, which IoFailure and every caller already know: the socket error inside an IOException.
        return new(default, new IOException($"Unable to write data to the transport connection: {error}.", new SocketException((int)error)));
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
                    _args.Dispose();
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

    private sealed class SendArgs(SocketPipeWriter writer) : SocketAsyncEventArgs(unsafeSuppressExecutionContextFlow: true)
    {
        protected override void OnCompleted(SocketAsyncEventArgs e) => writer.OnSendCompleted();
    }
}
