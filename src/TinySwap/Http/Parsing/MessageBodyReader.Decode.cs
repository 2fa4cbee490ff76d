using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using TinySwap.Http.Transport;

namespace TinySwap.Http.Parsing;

internal sealed partial class MessageBodyReader
{
    [AsyncMethodBuilder(typeof(DeepPoolingValueTaskMethodBuilder<>))]
    private async ValueTask<BodyReadResult> ReadRawAsync(CancellationToken cancellationToken) =>
        TakeRaw(await ReadInputAsync(cancellationToken));

    /// <summary>Content-Length and close-delimited bodies: the connection's own buffer, cut at the body's end.</summary>
    private BodyReadResult TakeRaw(in ReadResult result)
    {
        var buffer = result.Buffer;
        if (_framing.Kind == BodyKind.ContentLength)
        {
            if (buffer.Length >= _remaining)
            {
                _lastBuffer = buffer.Slice(0, _remaining);
                _hasPendingBuffer = true;
                return new BodyReadResult(_lastBuffer, true);
            }
            if (result.IsCompleted)
            {
                _input!.AdvanceTo(buffer.Start);
                HttpRejectedException.Throw(HttpRejection.UnexpectedEndOfBody);
            }
            _lastBuffer = buffer;
            _hasPendingBuffer = true;
            return new BodyReadResult(buffer, false);
        }

        // Close-delimited (responses only, RFC 9112 §6.3 item 8): the end of input is the end of the body.
        _inputCompleted = result.IsCompleted;
        if (buffer.IsEmpty && result.IsCompleted)
        {
            _input!.AdvanceTo(buffer.End);
            IsCompleted = true;
            return new BodyReadResult(default, true);
        }
        _lastBuffer = buffer;
        _hasPendingBuffer = true;
        return new BodyReadResult(buffer, result.IsCompleted);
    }

    [AsyncMethodBuilder(typeof(DeepPoolingValueTaskMethodBuilder<>))]
    private async ValueTask<BodyReadResult> ReadChunkedAsync(CancellationToken cancellationToken)
    {
        if (_whole)
            ThrowMixedModes();
        while (true)
        {
            if (!_decodedExaminedAll && _decodedInUse && _decoded.Reader.TryRead(out var decoded))
            {
                if (decoded.IsCompleted && decoded.Buffer.IsEmpty)
                {
                    _decoded.Reader.AdvanceTo(decoded.Buffer.End);
                    IsCompleted = true;
                    return new BodyReadResult(default, true);
                }
                if (!decoded.Buffer.IsEmpty)
                {
                    _lastBuffer = decoded.Buffer;
                    _hasPendingBuffer = true;
                    return new BodyReadResult(decoded.Buffer, decoded.IsCompleted);
                }
                _decoded.Reader.AdvanceTo(decoded.Buffer.Start);
            }
            if (_chunked.Phase == ChunkPhase.Complete)
            {
                // Nothing more will arrive: a caller that examined the final bytes without consuming them gets them
                // again (completed), as from a PipeReader, rather than a loop with nothing to wait for.
                CompleteDecoded();
                _decodedExaminedAll = false;
                continue;
            }
            await PumpChunkedAsync(cancellationToken);
        }
    }

    /// <summary>One read from the connection: framing is consumed, data is copied into the decoded pipe.</summary>
    [AsyncMethodBuilder(typeof(DeepPoolingValueTaskMethodBuilder))]
    private async ValueTask PumpChunkedAsync(CancellationToken cancellationToken)
    {
        var result = await ReadInputAsync(cancellationToken);
        if (DecodeChunks(result.Buffer, out var consumedAny))
        {
            await _decoded.Writer.FlushAsync(CancellationToken.None);
            _decodedExaminedAll = false;
        }
        if (_chunked.Phase == ChunkPhase.Complete)
            CompleteDecoded();
        if (result.IsCompleted && _chunked.Phase != ChunkPhase.Complete && !consumedAny)
            HttpRejectedException.Throw(HttpRejection.UnexpectedEndOfBody);
    }

    /// <summary>Decodes what <paramref name="buffer"/> holds; true when data was written to the decoded pipe.</summary>
    private bool DecodeChunks(ReadOnlySequence<byte> buffer, out bool consumedAny)
    {
        var reader = new SequenceReader<byte>(buffer);
        _decodedInUse = true;
        var wrote = false;
        try
        {
            while (TryTakeChunkData(ref reader, out var data))
            {
                foreach (var segment in data)
                    _decoded.Writer.Write(segment.Span);
                wrote = true;
            }
        }
        finally
        {
            // Once the body is complete, whatever follows belongs to the next message and must not count as examined,
            // or the connection's next read would wait for bytes it already has.
            var complete = _chunked.Phase == ChunkPhase.Complete;
            _input!.AdvanceTo(reader.Position, complete ? reader.Position : buffer.End);
        }
        consumedAny = reader.Consumed > 0;
        return wrote;
    }

    /// <summary>
    /// Steps over framing to the next chunk data <paramref name="reader"/> holds and takes it (both read modes): false at
    /// the body's end or when the reader holds no more data. Malformed framing throws.
    /// </summary>
    private bool TryTakeChunkData(ref SequenceReader<byte> reader, out ReadOnlySequence<byte> data)
    {
        data = default;
        if (!ChunkedFraming.TryAdvance(ref reader, ref _chunked, _maxBytes) || _chunked.Phase == ChunkPhase.Complete)
            return false;
        var available = Math.Min(reader.Remaining, _chunked.ChunkRemaining);
        if (available == 0)
            return false;
        data = reader.UnreadSequence.Slice(0, available);
        reader.Advance(available);
        _chunked.ChunkRemaining -= available;
        if (_chunked.ChunkRemaining == 0)
            _chunked.Phase = ChunkPhase.DataTerminator;
        return true;
    }

    private void CompleteDecoded()
    {
        if (_decodedWriterCompleted)
            return;
        _decodedWriterCompleted = true;
        _decodedInUse = true;
        _decoded.Writer.Complete();
        _decodedExaminedAll = false;
    }
}
