using System.IO.Pipelines;
using System.Threading.Tasks.Sources;

namespace TinySwap.Http.Transport;

/// <summary>
/// A plain TCP connection's input, read on demand: ReadAsync calls recv(2) itself (through
/// <see cref="SocketReadiness"/>) when it has nothing new to hand out, instead of a receive loop filling a
/// <see cref="Pipe"/> ahead of the reader.
/// That saves, per read, the loop's await, the pipe's lock on each of its operations and the hand-off between them
/// (−10% CPU per proxied request, A/B against the pipe), and unread input stays in the kernel, where it closes the TCP
/// window as the pipe's pause threshold did.
/// The peer leaving is still noticed while nobody reads: the event loop reports EPOLLRDHUP/HUP/ERR, and the peer
/// counts as gone once its end of stream is the next thing to read (bytes ahead of the FIN, such as a pipelined
/// request, are read first) or the socket failed.
/// PipeReader's contract as the parsers use it: one read at a time; AdvanceTo's examined position decides whether the
/// next read waits; CancelPendingRead from any thread; a failed connection throws from every read after it.
/// </summary>
internal sealed partial class SocketInput : PipeReader, IValueTaskSource<ReadResult>
{
    // Less room than this at the tail, and the next read goes into a fresh buffer instead of a sliver of the old one.
    private const int MinTailRoom = 512;

    private readonly SocketReadiness _readiness;
    private readonly Action _peerGone;
    private readonly Action _receiveCompleted;
    private ManualResetValueTaskSourceCore<ReadResult> _completion;

    private InputSegment? _head;
    private int _headStart;
    private InputSegment? _tail;
    private InputSegment? _spare;
    // Absolute counts since the connection opened: what arrived, and how far the reader has looked.
    private long _received;
    private long _examined;
    private int _receiveSize = ReceiveSizing.Min;

    private bool _ended;
    private Exception? _error;
    private bool _readerCompleted;
    // A result is out and not yet advanced past: its buffers may still be read.
    private bool _resultOut;
    private int _peerGoneSignalled;

    private ValueTask<int> _pendingReceive;
    private int _cancelRequested;
    private int _tokenCanceled;
    private CancellationToken _token;
    private CancellationTokenRegistration _registration;

    /// <param name="peerGone">Called once the peer has left or the socket failed (the connection's Closed).</param>
    public SocketInput(SocketReadiness readiness, Action peerGone)
    {
        _readiness = readiness;
        _peerGone = peerGone;
        _receiveCompleted = OnReceiveCompleted;
        readiness.PeerClosing = CheckPeerGone;
    }

    /// <summary>Bytes received so far (read by the heartbeat's body-rate check, on its own thread).</summary>
    public long BytesReceived => Volatile.Read(ref _received);

    public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfCompleted();
        if (TryTakeResult(out var result, out var error))
            return error is null ? new ValueTask<ReadResult>(result) : ValueTask.FromException<ReadResult>(error);
        if (cancellationToken.IsCancellationRequested)
            return ValueTask.FromCanceled<ReadResult>(cancellationToken);
        _completion.Reset();
        Volatile.Write(ref _tokenCanceled, 0);
        _token = cancellationToken;
        if (ReceiveUntilResult(out result, out error))
            return error is null ? new ValueTask<ReadResult>(result) : ValueTask.FromException<ReadResult>(error);
        return new ValueTask<ReadResult>(this, _completion.Version);
    }

    public override bool TryRead(out ReadResult result)
    {
        ThrowIfCompleted();
        // As a Pipe: bytes the reader has not examined, else nothing new.
        if (TryTakeResult(out result, out var error))
            return error is null ? true : throw error;
        // Nothing buffered: what the kernel holds counts too (a stray byte on an idle upstream connection, the rest of
        // a chunked body to send on in one go). A socket known to be empty costs no system call.
        if (_readiness.TryReceive(ReceiveBuffer().Span, out var received, out var failure))
        {
            OnReceived(received, failure);
            if (TryTakeResult(out result, out error))
                return error is null ? true : throw error;
        }
        ReleaseIfEmpty();
        result = default;
        return false;
    }

    public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        _resultOut = false;
        var consumedAt = Absolute(consumed);
        // As a Pipe: the next read waits only if this one looked at everything there was.
        _examined = Math.Max(Absolute(examined), consumedAt);
        while (_head is { } head)
        {
            if (consumedAt < head.RunningIndex + head.Written)
            {
                _headStart = (int)(consumedAt - head.RunningIndex);
                break;
            }
            var next = (InputSegment?)head.Next;
            Recycle(head);
            _head = next;
            _headStart = 0;
            if (next is null)
                _tail = null;
        }
        // Everything read, and an event said the peer closed: if its FIN is all that is left, it has gone.
        if (_head is null && _readiness.PeerClosed)
            CheckPeerGone(0);
    }

    public override void CancelPendingRead()
    {
        Volatile.Write(ref _cancelRequested, 1);
        _readiness.CancelReceive();
    }

    public override void Complete(Exception? exception = null)
    {
        if (_readerCompleted)
            return;
        _readerCompleted = true;
        _readiness.PeerClosing = null;
        // A reader that completes while holding a result might still touch its buffers: those go to the collector.
        while (_head is { } head)
        {
            _head = (InputSegment?)head.Next;
            head.Release(toPool: !_resultOut);
        }
        _tail = null;
    }

    /// <summary>
    /// What the next read hands out now, if anything: a cancellation, the failure, the end, or bytes the reader has not
    /// examined. A failure is handed out as an exception on every read, as by a Pipe whose writer completed with one.
    /// </summary>
    private bool TryTakeResult(out ReadResult result, out Exception? error)
    {
        result = default;
        error = _error;
        var canceled = Volatile.Read(ref _cancelRequested) != 0 && Interlocked.Exchange(ref _cancelRequested, 0) != 0;
        if (error is null && !canceled && !_ended && _received == _examined)
            return false;
        if (error is null)
        {
            result = new ReadResult(Buffer(), canceled, _ended);
            _resultOut = true;
        }
        return true;
    }

    /// <summary>
    /// Reads until there is something to hand out (true), or a receive waits for an event (false: its continuation
    /// completes the read).
    /// </summary>
    private bool ReceiveUntilResult(out ReadResult result, out Exception? error)
    {
        while (true)
        {
            var receive = _readiness.ReceiveAsync(ReceiveBuffer());
            if (!receive.IsCompleted)
            {
                _pendingReceive = receive;
                if (_token.CanBeCanceled && _registration == default)
                    _registration = _token.UnsafeRegister(static input => ((SocketInput)input!).CancelByToken(), this);
                receive.GetAwaiter().UnsafeOnCompleted(_receiveCompleted);
                // A CancelPendingRead that came before the wait stood had nothing to cancel: cancel it now.
                if (Volatile.Read(ref _cancelRequested) != 0 || Volatile.Read(ref _tokenCanceled) != 0)
                    _readiness.CancelReceive();
                result = default;
                error = null;
                return false;
            }
            Receive(receive);
            if (TryTakeResult(out result, out error))
                return true;
        }
    }

    private void OnReceiveCompleted()
    {
        var receive = _pendingReceive;
        _pendingReceive = default;
        Receive(receive);
        if (Volatile.Read(ref _tokenCanceled) != 0 && Interlocked.Exchange(ref _tokenCanceled, 0) != 0)
        {
            EndRegistration();
            _completion.SetException(new OperationCanceledException(_token));
            return;
        }
        // Nothing to hand out after all (the wait was taken back with nothing read): read on.
        if (!TryTakeResult(out var result, out var error) && !ReceiveUntilResult(out result, out error))
            return;
        EndRegistration();
        if (error is null)
            _completion.SetResult(result);
        else
            _completion.SetException(error);
    }

    private void CancelByToken()
    {
        Volatile.Write(ref _tokenCanceled, 1);
        _readiness.CancelReceive();
    }

    private void EndRegistration()
    {
        // Unregister, not Dispose: this may run inside the token's own callback, which Dispose would wait for.
        _registration.Unregister();
        _registration = default;
        _token = default;
    }

    private void Receive(ValueTask<int> receive)
    {
        int received;
        try
        {
            received = receive.Result;
        }
        catch (Exception ex)
        {
            OnReceived(0, ex);
            return;
        }
        if (received >= 0)
            OnReceived(received, null);
    }

    private void OnReceived(int received, Exception? failure)
    {
        if (failure is not null)
        {
            _error = IoFailure.InputFailure(failure, closedByUs: _readiness.IsClosed);
            _ended = _error is null;
            SignalPeerGone();
            return;
        }
        if (received == 0)
        {
            _ended = true;
            SignalPeerGone();
            return;
        }
        var tail = _tail!;
        _receiveSize = ReceiveSizing.Next(_receiveSize, received, tail.Room);
        tail.Append(received);
        Volatile.Write(ref _received, _received + received);
    }

    /// <summary>
    /// Signals the peer gone if it failed (an EPOLLHUP/ERR in <paramref name="events"/>) or its FIN is the next thing to
    /// read. The loop calls it when such an event comes while nobody reads; AdvanceTo, when the reader has consumed
    /// everything after one.
    /// </summary>
    private void CheckPeerGone(int events)
    {
        if (Volatile.Read(ref _peerGoneSignalled) != 0)
            return;
        if ((events & (Native.LibC.EPOLLHUP | Native.LibC.EPOLLERR)) != 0 || _readiness.PeekIsEnd())
            SignalPeerGone();
    }

    private void SignalPeerGone()
    {
        if (Interlocked.Exchange(ref _peerGoneSignalled, 1) == 0)
            _peerGone();
    }

    private void ThrowIfCompleted()
    {
        if (_readerCompleted)
            throw new InvalidOperationException("reading is not allowed after the reader was completed");
    }

    ReadResult IValueTaskSource<ReadResult>.GetResult(short token) => _completion.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<ReadResult>.GetStatus(short token) => _completion.GetStatus(token);

    void IValueTaskSource<ReadResult>.OnCompleted(Action<object?> continuation, object? state, short token,
        ValueTaskSourceOnCompletedFlags flags) => _completion.OnCompleted(continuation, state, token, flags);
}
