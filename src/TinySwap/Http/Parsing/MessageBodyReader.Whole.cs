using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;

namespace TinySwap.Http.Parsing;

/// <summary>
/// The read mode for a consumer that takes every buffer whole (the forwarder's response copy): chunk data is handed
/// out as slices of the connection's own buffer, one chunk's data per read, with no copy and no second pipe. A
/// connection read is decoded in full before its first piece is handed out, so a framing error anywhere in it is
/// thrown exactly where the copying mode throws it; the read is given back to the connection once its last piece has
/// been consumed. Content-Length and close-delimited bodies read as in <see cref="ReadAsync"/>. A body is read in one
/// mode only.
/// </summary>
internal sealed partial class MessageBodyReader
{
    private ReadOnlySequence<byte>[]? _pieces;
    private int _pieceCount;
    private int _nextPiece;
    private bool _whole;
    private SequencePosition _heldConsumed;
    private SequencePosition _heldExamined;

    /// <summary>
    /// Like <see cref="ReadAsync"/>, for a caller that consumes every buffer it gets whole
    /// (<c>AdvanceTo(result.Buffer.End)</c>) before reading again.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<BodyReadResult> ReadWholeAsync(CancellationToken cancellationToken = default)
    {
        if (!_started)
        {
            _started = true;
            if (!IsCompleted && _firstReadListener is not null)
                await _firstReadListener.OnFirstBodyReadAsync();
        }
        if (IsCompleted)
            return new BodyReadResult(default, true);
        if (_framing.Kind != BodyKind.Chunked)
            return await ReadRawAsync(cancellationToken);
        while (true)
        {
            if (TryTakePiece(out var result))
                return result;
            if (DecodePieces(await ReadInputAsync(cancellationToken), out result))
                return result;
        }
    }

    /// <summary>
    /// The next piece of body the connection already holds, without waiting: false when nothing is buffered (or the
    /// first read, which may have to send 100 Continue, has not been made). Consume it as from <see cref="ReadWholeAsync"/>.
    /// </summary>
    public bool TryReadWhole(out BodyReadResult result)
    {
        if (!_started || _hasPendingBuffer)
        {
            result = default;
            return false;
        }
        if (IsCompleted)
        {
            result = new BodyReadResult(default, true);
            return true;
        }
        if (_framing.Kind != BodyKind.Chunked)
        {
            if (!TryReadInput(out var input))
            {
                result = default;
                return false;
            }
            result = TakeRaw(input);
            return true;
        }
        if (TryTakePiece(out result))
            return true;
        while (TryReadInput(out var input))
        {
            if (DecodePieces(input, out result))
                return true;
        }
        return false;
    }

    /// <summary>Hands out the next decoded piece of the held read; the last one carries the body's end if it is known.</summary>
    private bool TryTakePiece(out BodyReadResult result)
    {
        if (_decodedInUse)
            ThrowMixedModes();
        _whole = true;
        if (_nextPiece == _pieceCount)
        {
            result = default;
            return false;
        }
        _lastBuffer = _pieces![_nextPiece++];
        _hasPendingBuffer = true;
        result = new BodyReadResult(_lastBuffer, _nextPiece == _pieceCount && _chunked.Phase == ChunkPhase.Complete);
        return true;
    }

    /// <summary>
    /// Decodes one connection read into pieces (slices of it) and hands out the first; false when it held framing
    /// only and more input is needed. A read without data that ends the body reports the end.
    /// </summary>
    private bool DecodePieces(in ReadResult input, out BodyReadResult result)
    {
        var buffer = input.Buffer;
        var reader = new SequenceReader<byte>(buffer);
        try
        {
            while (ChunkedFraming.TryAdvance(ref reader, ref _chunked, _maxBytes) && _chunked.Phase != ChunkPhase.Complete)
            {
                var available = Math.Min(reader.Remaining, _chunked.ChunkRemaining);
                if (available == 0)
                    break;
                AddPiece(buffer.Slice(reader.Position, available));
                reader.Advance(available);
                _chunked.ChunkRemaining -= available;
                if (_chunked.ChunkRemaining == 0)
                    _chunked.Phase = ChunkPhase.DataTerminator;
            }
        }
        catch
        {
            // As in the copying mode: nothing of a read with bad framing is handed out.
            _pieceCount = 0;
            _input!.AdvanceTo(reader.Position, buffer.End);
            throw;
        }
        // Once the body is complete, whatever follows belongs to the next message and must not count as examined,
        // or the connection's next read would wait for bytes it already has.
        var complete = _chunked.Phase == ChunkPhase.Complete;
        _heldConsumed = reader.Position;
        _heldExamined = complete ? reader.Position : buffer.End;
        if (_pieceCount == 0)
        {
            _input!.AdvanceTo(_heldConsumed, _heldExamined);
            if (input.IsCompleted && !complete && reader.Consumed == 0)
                HttpRejectedException.Throw(HttpRejection.UnexpectedEndOfBody);
            IsCompleted = complete;
            result = new BodyReadResult(default, complete);
            return complete;
        }
        return TryTakePiece(out result);
    }

    private void AddPiece(in ReadOnlySequence<byte> piece)
    {
        _pieces ??= new ReadOnlySequence<byte>[4];
        if (_pieceCount == _pieces.Length)
            Array.Resize(ref _pieces, _pieces.Length * 2);
        _pieces[_pieceCount++] = piece;
    }

    /// <summary>The consumer took a piece; after the last one, the read goes back to the connection.</summary>
    private void ConsumePiece(SequencePosition consumed)
    {
        if (!consumed.Equals(_lastBuffer.End))
            throw new InvalidOperationException("a whole-buffer read must be consumed to its end");
        BytesConsumed += _lastBuffer.Length;
        if (_nextPiece < _pieceCount)
            return;
        Array.Clear(_pieces!, 0, _pieceCount);
        _pieceCount = 0;
        _nextPiece = 0;
        _input!.AdvanceTo(_heldConsumed, _heldExamined);
        IsCompleted = _chunked.Phase == ChunkPhase.Complete;
    }

    private void ResetWhole()
    {
        if (_pieceCount > 0)
            Array.Clear(_pieces!, 0, _pieceCount);
        _pieceCount = 0;
        _nextPiece = 0;
        _whole = false;
    }

    [DoesNotReturn]
    private static void ThrowMixedModes() =>
        throw new InvalidOperationException("a body is read either whole (ReadWholeAsync) or as a pipe (ReadAsync), not both");
}
