using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using TinySwap.Http.Transport;

namespace TinySwap.Http.Parsing;

/// <summary>
/// The read mode for a consumer that takes every buffer whole (the forwarder's response copy): the chunk data of one
/// connection read comes out as one buffer whose segments are slices of the connection's own buffer between the
/// framing, so nothing is copied and there is no second pipe. A read is decoded in full before its data is handed
/// out, so a framing error anywhere in it is thrown exactly where the copying mode throws it; the read goes back to
/// the connection once its data has been consumed. Content-Length and close-delimited bodies read as in
/// <see cref="ReadAsync"/>. A body is read in one mode only.
/// </summary>
internal sealed partial class MessageBodyReader
{
    private bool _whole;
    private SequencePosition _heldConsumed;
    private SequencePosition _heldExamined;
    private int _dataPieces;
    private ReadOnlySequence<byte> _firstPiece;
    private DataSegment[]? _chain;
    private int _chainLength;
    private long _chainBytes;

    /// <summary>
    /// Like <see cref="ReadAsync"/>, for a caller that consumes every buffer it gets whole
    /// (<c>AdvanceTo(result.Buffer.End)</c>) before reading again.
    /// </summary>
    [AsyncMethodBuilder(typeof(DeepPoolingValueTaskMethodBuilder<>))]
    public async ValueTask<BodyReadResult> ReadWholeAsync(CancellationToken cancellationToken = default)
    {
        if (!_started)
            await StartReadingAsync();
        if (IsCompleted)
            return new BodyReadResult(default, true);
        if (_framing.Kind != BodyKind.Chunked)
            return await ReadRawAsync(cancellationToken);
        EnterWholeMode();
        while (true)
        {
            if (DecodeRead(await ReadInputAsync(cancellationToken), out var result))
                return result;
        }
    }

    /// <summary>
    /// The body bytes the connection already holds, without waiting: false when nothing new is buffered (or the first
    /// read, which may have to send 100 Continue, has not been made). Consume the buffer as from <see cref="ReadWholeAsync"/>.
    /// </summary>
    public bool TryReadWhole(out BodyReadResult result)
    {
        result = default;
        if (!_started || _hasPendingBuffer)
            return false;
        if (IsCompleted)
        {
            result = new BodyReadResult(default, true);
            return true;
        }
        if (_framing.Kind != BodyKind.Chunked)
        {
            if (!TryReadInput(out var raw))
                return false;
            result = TakeRaw(raw);
            return true;
        }
        EnterWholeMode();
        while (TryReadInput(out var input))
        {
            if (DecodeRead(input, out result))
                return true;
        }
        return false;
    }

    private void EnterWholeMode()
    {
        if (_decodedInUse)
            ThrowMixedModes();
        _whole = true;
    }

    /// <summary>
    /// Decodes one connection read and hands out its data; false when it held framing only and more input is needed.
    /// A read that ends the body reports the end with its data (or alone).
    /// </summary>
    private bool DecodeRead(in ReadResult input, out BodyReadResult result)
    {
        var buffer = input.Buffer;
        var reader = new SequenceReader<byte>(buffer);
        try
        {
            while (TryTakeChunkData(ref reader, out var data))
                AddPiece(data);
        }
        catch
        {
            // As in the copying mode: nothing of a read with bad framing is handed out.
            ReleasePieces();
            _input!.AdvanceTo(reader.Position, buffer.End);
            throw;
        }
        // Once the body is complete, whatever follows belongs to the next message and must not count as examined,
        // or the connection's next read would wait for bytes it already has.
        var complete = _chunked.Phase == ChunkPhase.Complete;
        _heldConsumed = reader.Position;
        _heldExamined = complete ? reader.Position : buffer.End;
        if (_dataPieces == 0)
        {
            _input!.AdvanceTo(_heldConsumed, _heldExamined);
            if (input.IsCompleted && !complete && reader.Consumed == 0)
                HttpRejectedException.Throw(HttpRejection.UnexpectedEndOfBody);
            IsCompleted = complete;
            result = new BodyReadResult(default, complete);
            return complete;
        }
        _lastBuffer = _dataPieces == 1 ? _firstPiece : ChainedPieces();
        _hasPendingBuffer = true;
        result = new BodyReadResult(_lastBuffer, complete);
        return true;
    }

    /// <summary>The consumer took the data; the read goes back to the connection.</summary>
    private void ConsumeWhole(SequencePosition consumed)
    {
        if (!consumed.Equals(_lastBuffer.End))
            throw new InvalidOperationException("a whole-buffer read must be consumed to its end");
        BytesConsumed += _lastBuffer.Length;
        ReleasePieces();
        _input!.AdvanceTo(_heldConsumed, _heldExamined);
        IsCompleted = _chunked.Phase == ChunkPhase.Complete;
    }

    /// <summary>One chunk's data in this read; a second one starts a chain of segments over all of them.</summary>
    private void AddPiece(in ReadOnlySequence<byte> piece)
    {
        if (++_dataPieces == 1)
        {
            _firstPiece = piece;
            return;
        }
        if (_dataPieces == 2)
            Chain(_firstPiece);
        Chain(piece);
    }

    private void Chain(in ReadOnlySequence<byte> piece)
    {
        foreach (var memory in piece)
        {
            if (memory.IsEmpty)
                continue;
            _chain ??= new DataSegment[8];
            if (_chainLength == _chain.Length)
                Array.Resize(ref _chain, _chain.Length * 2);
            var segment = _chain[_chainLength] ??= new DataSegment();
            segment.Set(memory, _chainBytes);
            if (_chainLength > 0)
                _chain[_chainLength - 1].Link(segment);
            _chainLength++;
            _chainBytes += memory.Length;
        }
    }

    private ReadOnlySequence<byte> ChainedPieces()
    {
        var last = _chain![_chainLength - 1];
        return new ReadOnlySequence<byte>(_chain[0], 0, last, last.Memory.Length);
    }

    private void ReleasePieces()
    {
        for (var i = 0; i < _chainLength; i++)
            _chain![i].Set(default, 0);
        _chainLength = 0;
        _chainBytes = 0;
        _dataPieces = 0;
        _firstPiece = default;
    }

    private void ResetWhole()
    {
        ReleasePieces();
        _whole = false;
    }

    [DoesNotReturn]
    private static void ThrowMixedModes() =>
        throw new InvalidOperationException("a body is read either whole (ReadWholeAsync) or as a pipe (ReadAsync), not both");

    /// <summary>A link in a chain over chunk data that lies in the connection's buffer between framing.</summary>
    private sealed class DataSegment : ReadOnlySequenceSegment<byte>
    {
        public void Set(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
            Next = null;
        }

        public void Link(DataSegment next) => Next = next;
    }
}
