using System.Buffers;
using System.Runtime.CompilerServices;
using TinySwap.Http.Parsing;
using TinySwap.Http.Transport;

namespace TinySwap.Http.Server;

internal sealed partial class HttpConnection
{
    private enum HeadOutcome : byte { Parsed, Closed, Rejected }

    private enum ParseStep : byte { NeedMore, Done, Rejected }

    private HttpRejection _rejection;
    private RequestHeadParseState _parseState;

    /// <summary>Reads until a whole request head is parsed, the client leaves, a timeout fires, or the head is refused.</summary>
    [AsyncMethodBuilder(typeof(DeepPoolingValueTaskMethodBuilder<>))]
    private async ValueTask<HeadOutcome> ReadHeadAsync()
    {
        _head.Reset();
        _parseState = RequestHeadParseState.Start(_options.Limits.MaxHeaderBytes);
        var input = _transport.Input;
        var requestStarted = false;
        while (true)
        {
            var result = await input.ReadAsync();
            var buffer = result.Buffer;
            requestStarted |= !buffer.IsEmpty;
            if (result.IsCanceled && TakeTimeout())
            {
                input.AdvanceTo(buffer.End);
                // Idle keep-alive connections close quietly; a client that started a request gets its 408.
                if (!requestStarted)
                    return HeadOutcome.Closed;
                _rejection = HttpRejection.HeadersTimeout;
                return HeadOutcome.Rejected;
            }
            // Shutting down: a connection between requests closes; one with a request under way finishes it.
            if (Stopping && !requestStarted)
            {
                input.AdvanceTo(buffer.End);
                return HeadOutcome.Closed;
            }
            if (_state == ConnectionState.Idle && !buffer.IsEmpty)
                SetDeadline(ConnectionState.ReadingHead, _options.Limits.HeadersTimeout);

            var step = TryParseHead(buffer, out var consumed);
            if (step == ParseStep.Done)
            {
                input.AdvanceTo(consumed);
                ClearDeadline(ConnectionState.Processing);
                return HeadOutcome.Parsed;
            }
            if (step == ParseStep.Rejected)
            {
                input.AdvanceTo(buffer.End);
                return HeadOutcome.Rejected;
            }
            if (result.IsCompleted)
            {
                input.AdvanceTo(buffer.End);
                return HeadOutcome.Closed;
            }
            // Complete lines are consumed (copied into the head); the partial one stays, examined, so the next read
            // waits for new bytes instead of spinning on the same ones.
            input.AdvanceTo(consumed, buffer.End);
        }
    }

    private ParseStep TryParseHead(in ReadOnlySequence<byte> buffer, out SequencePosition consumed)
    {
        var reader = new SequenceReader<byte>(buffer);
        try
        {
            var done = RequestHeadParser.TryParse(ref reader, _head, ref _parseState, _options.Limits.MaxRequestLineBytes);
            consumed = reader.Position;
            return done ? ParseStep.Done : ParseStep.NeedMore;
        }
        catch (HttpRejectedException ex)
        {
            _rejection = ex.Reason;
            consumed = buffer.End;
            return ParseStep.Rejected;
        }
    }
}
