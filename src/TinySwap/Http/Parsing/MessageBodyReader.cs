using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using TinySwap.Http.Transport;

namespace TinySwap.Http.Parsing;

/// <summary>Decoded body bytes available now; <see cref="IsCompleted"/> means no body bytes follow this buffer.</summary>
internal readonly record struct BodyReadResult(ReadOnlySequence<byte> Buffer, bool IsCompleted);

/// <summary>Told before the first body byte is asked for (the server sends 100 Continue there).</summary>
internal interface IFirstBodyReadListener
{
    ValueTask OnFirstBodyReadAsync();
}

/// <summary>
/// Reads one message body off a connection's <see cref="PipeReader"/>, decoding Content-Length, chunked and
/// close-delimited framing; the same object serves request bodies on the server and response bodies upstream.
/// Use it like a PipeReader: <see cref="ReadAsync"/>, then <see cref="AdvanceTo(SequencePosition, SequencePosition)"/>
/// with positions from the returned buffer. Content-Length and close-delimited bodies are handed out as slices of
/// the connection's own buffers (no copy); chunked data is copied once into an internal pipe so a reader that examines
/// without consuming sees the next chunk's bytes appended, exactly as a PipeReader would show them. A reader that
/// always consumes everything uses <see cref="ReadWholeAsync"/> instead, which copies nothing.
/// Malformed framing, an early end of input and a timed-out read throw <see cref="HttpRejectedException"/>.
/// </summary>
internal sealed partial class MessageBodyReader
{
    private readonly Pipe _decoded = new(new PipeOptions(pauseWriterThreshold: 0, readerScheduler: PipeScheduler.Inline,
        writerScheduler: PipeScheduler.Inline, useSynchronizationContext: false));

    private PipeReader? _input;
    private BodyFraming _framing;
    private long _remaining;
    private long _maxBytes;
    private int _maxTrailerBytes;
    private ChunkedState _chunked;
    private bool _decodedExaminedAll;
    private bool _decodedInUse;
    private bool _decodedWriterCompleted;
    private bool _inputCompleted;
    private ReadOnlySequence<byte> _lastBuffer;
    private bool _hasPendingBuffer;
    private IFirstBodyReadListener? _firstReadListener;
    private bool _started;
    private volatile int _timeoutReason;
    private long _waitingSince;
    private long _waitedMilliseconds;

    public BodyFraming Framing => _framing;

    /// <summary>True once the body's end has been read and consumed; the connection may then carry the next message.</summary>
    public bool IsCompleted { get; private set; }

    /// <summary>True once <see cref="ReadAsync"/> has been called for this body.</summary>
    public bool HasStarted => _started;

    /// <summary>Decoded body bytes consumed so far.</summary>
    public long BytesConsumed { get; private set; }

    /// <summary>Environment.TickCount64 at which the current wait for input began, or 0 when not waiting (for rate checks).</summary>
    public long WaitingSince => Volatile.Read(ref _waitingSince);

    /// <summary>Total milliseconds spent waiting for input in finished waits.</summary>
    public long WaitedMilliseconds => Volatile.Read(ref _waitedMilliseconds);

    /// <summary>
    /// Starts a new body. <paramref name="maxBytes"/> (negative: unlimited) is enforced against chunk sizes as they are
    /// declared; Content-Length bodies are checked by the caller before reading, where the status can still be sent.
    /// </summary>
    public void Reset(PipeReader input, BodyFraming framing, long maxBytes, int maxTrailerBytes, IFirstBodyReadListener? firstReadListener)
    {
        if (_decodedInUse)
        {
            _decoded.Reader.Complete();
            _decoded.Writer.Complete();
            _decoded.Reset();
            _decodedInUse = false;
        }
        _input = input;
        _framing = framing;
        _remaining = framing.Length;
        _maxBytes = maxBytes;
        _maxTrailerBytes = maxTrailerBytes;
        _chunked = new ChunkedState { TrailerBytesLeft = maxTrailerBytes };
        _decodedExaminedAll = false;
        _decodedWriterCompleted = false;
        _inputCompleted = false;
        _lastBuffer = default;
        _hasPendingBuffer = false;
        ResetWhole();
        _firstReadListener = firstReadListener;
        _started = false;
        _timeoutReason = 0;
        _waitingSince = 0;
        _waitedMilliseconds = 0;
        BytesConsumed = 0;
        IsCompleted = framing.Kind == BodyKind.None;
    }

    /// <summary>Makes the pending (or next) read fail with <paramref name="reason"/>; safe from any thread.</summary>
    public void TimeOut(HttpRejection reason)
    {
        _timeoutReason = (int)reason;
        try
        {
            _input?.CancelPendingRead();
        }
        catch (InvalidOperationException)
        {
            // The body's connection already finished; there is no read to fail.
        }
    }

    [AsyncMethodBuilder(typeof(DeepPoolingValueTaskMethodBuilder<>))]
    public async ValueTask<BodyReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        if (!_started)
            await StartReadingAsync();
        if (IsCompleted)
            return new BodyReadResult(default, true);
        return _framing.Kind == BodyKind.Chunked
            ? await ReadChunkedAsync(cancellationToken)
            : await ReadRawAsync(cancellationToken);
    }

    /// <summary>Marks the body started; its first read tells the listener first (the server sends 100 Continue there).</summary>
    private ValueTask StartReadingAsync()
    {
        _started = true;
        return !IsCompleted && _firstReadListener is not null ? _firstReadListener.OnFirstBodyReadAsync() : default;
    }

    public void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

    public void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        // After a read that reported the end with nothing left, there is nothing to advance.
        if (!_hasPendingBuffer)
            return;
        _hasPendingBuffer = false;
        if (_whole)
        {
            ConsumeWhole(consumed);
            _lastBuffer = default;
            return;
        }
        var consumedBytes = _lastBuffer.Slice(0, consumed).Length;
        BytesConsumed += consumedBytes;
        if (_framing.Kind == BodyKind.Chunked)
        {
            _decodedExaminedAll = _lastBuffer.Slice(examined).IsEmpty;
            _decoded.Reader.AdvanceTo(consumed, examined);
            if (_chunked.Phase == ChunkPhase.Complete && consumedBytes == _lastBuffer.Length)
                IsCompleted = true;
        }
        else
        {
            _input!.AdvanceTo(consumed, examined);
            if (_framing.Kind == BodyKind.ContentLength)
            {
                _remaining -= consumedBytes;
                IsCompleted = _remaining == 0;
            }
            else if (_inputCompleted && consumedBytes == _lastBuffer.Length)
            {
                IsCompleted = true;
            }
        }
        _lastBuffer = default;
    }

    /// <summary>Reads from the connection, honouring timeouts and recording how long we waited (rate checks).</summary>
    [AsyncMethodBuilder(typeof(DeepPoolingValueTaskMethodBuilder<>))]
    private async ValueTask<ReadResult> ReadInputAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (TryReadInput(out var result))
                return result;
            Volatile.Write(ref _waitingSince, Math.Max(1, Environment.TickCount64));
            try
            {
                result = await _input!.ReadAsync(cancellationToken);
            }
            finally
            {
                var since = Interlocked.Exchange(ref _waitingSince, 0);
                Volatile.Write(ref _waitedMilliseconds, _waitedMilliseconds + (Environment.TickCount64 - since));
            }
            if (IsUsable(result))
                return result;
        }
    }

    /// <summary>What the connection already holds, without waiting; false when it holds nothing new.</summary>
    private bool TryReadInput(out ReadResult result)
    {
        while (_input!.TryRead(out result))
        {
            if (IsUsable(result))
                return true;
        }
        return false;
    }

    /// <summary>Throws for a timed-out read; false (the read given back) for one cancelled by someone else with nothing in it.</summary>
    private bool IsUsable(in ReadResult result)
    {
        if (_timeoutReason != 0)
        {
            _input!.AdvanceTo(result.Buffer.Start);
            HttpRejectedException.Throw((HttpRejection)_timeoutReason);
        }
        // A cancelled read without a timeout (someone else's CancelPendingRead) still carries valid data.
        if (!result.IsCanceled || !result.Buffer.IsEmpty || result.IsCompleted)
            return true;
        _input!.AdvanceTo(result.Buffer.Start);
        return false;
    }
}
