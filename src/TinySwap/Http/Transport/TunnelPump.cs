using System.Buffers;
using System.IO.Pipelines;

namespace TinySwap.Http.Transport;

/// <summary>How a tunnel ended, as the side that decided it.</summary>
internal enum TunnelEnding : byte
{
    /// <summary>Each side sent its FIN and each FIN was passed on: both peers saw a clean end of stream.</summary>
    Closed,

    /// <summary>The client's connection failed (reset, or a write to it failed): the upstream was reset too.</summary>
    ClientFailed,

    /// <summary>The upstream's connection failed: the client was reset too, so it cannot take the cut for a clean close.</summary>
    UpstreamFailed,

    /// <summary>One side finished, the other kept sending past the grace period: both were reset.</summary>
    HalfCloseExpired,
}

/// <summary>How a tunnel ended and the bytes it carried each way.</summary>
internal readonly record struct TunnelOutcome(TunnelEnding Ending, long ClientToUpstreamBytes, long UpstreamToClientBytes);

/// <summary>
/// Moves bytes both ways between a client and an upstream after a protocol switch (RFC 9110 §7.8), untouched. Each
/// direction is its own loop with its own backpressure (a flush awaited before the next read). A FIN is passed on as a
/// FIN (half-close, RFC 9293 §3.6), so a WebSocket closing handshake (RFC 6455 §7.1.1: the server closes TCP first)
/// finishes as the peers meant it; a reset is passed on as a reset. Once one direction has ended cleanly the other has
/// <c>halfCloseGrace</c> to end too, so a peer that never closes cannot hold the connections forever.
/// </summary>
internal static class TunnelPump
{
    private enum CopyEnd : byte { SourceFinished, SourceFailed, DestinationFailed }

    private readonly record struct CopyResult(CopyEnd End, long Bytes);

    /// <summary>Runs until both directions have ended; the caller then closes both connections (both are shut or reset).</summary>
    public static async Task<TunnelOutcome> RunAsync(ITunnelSide client, ITunnelSide upstream, TimeSpan halfCloseGrace, TimeProvider time)
    {
        var up = CopyAsync(client, upstream);
        var down = CopyAsync(upstream, client);
        var first = await Task.WhenAny(up, down);
        var firstResult = await first;
        if (firstResult.End != CopyEnd.SourceFinished)
        {
            client.Abort();
            upstream.Abort();
            await Task.WhenAll(up, down);
            var clientFailed = (first == up) == (firstResult.End == CopyEnd.SourceFailed);
            return new(clientFailed ? TunnelEnding.ClientFailed : TunnelEnding.UpstreamFailed, up.Result.Bytes, down.Result.Bytes);
        }

        // The finished direction's FIN is on its way; the other direction may still carry the rest of a closing handshake.
        using var grace = new CancellationTokenSource(halfCloseGrace, time);
        using var resetBoth = grace.Token.UnsafeRegister(static state =>
        {
            var (a, b) = ((ITunnelSide, ITunnelSide))state!;
            a.Abort();
            b.Abort();
        }, (client, upstream));
        var second = first == up ? down : up;
        var secondResult = await second;
        resetBoth.Dispose();
        var ending = grace.IsCancellationRequested ? TunnelEnding.HalfCloseExpired
            : secondResult.End == CopyEnd.SourceFinished ? TunnelEnding.Closed
            : (second == up) == (secondResult.End == CopyEnd.SourceFailed) ? TunnelEnding.ClientFailed
            : TunnelEnding.UpstreamFailed;
        if (ending is TunnelEnding.ClientFailed or TunnelEnding.UpstreamFailed)
        {
            client.Abort();
            upstream.Abort();
        }
        return new(ending, up.Result.Bytes, down.Result.Bytes);
    }

    /// <summary>Copies one direction until the source's end of stream (then shuts the destination's output) or a failure.</summary>
    private static async Task<CopyResult> CopyAsync(ITunnelSide from, ITunnelSide to)
    {
        // Off the caller's stack: both loops start at once, and each continues on the thread that received its bytes.
        await Task.Yield();
        var input = from.Input;
        var output = to.Output;
        long bytes = 0;
        while (true)
        {
            ReadResult read;
            try
            {
                read = await input.ReadAsync();
            }
            catch (Exception ex) when (IoFailure.IsConnectionFailure(ex))
            {
                return new(CopyEnd.SourceFailed, bytes);
            }
            var buffer = read.Buffer;
            foreach (var segment in buffer)
                output.Write(segment.Span);
            bytes += buffer.Length;
            // Advanced before the flush can throw, so the reader is never left mid-read for whoever closes it later.
            input.AdvanceTo(buffer.End);
            try
            {
                // A completed flush means nobody reads the destination any more: as much a failure as a throw.
                if ((await output.FlushAsync()).IsCompleted)
                    return new(CopyEnd.DestinationFailed, bytes);
            }
            catch (Exception ex) when (IoFailure.IsConnectionFailure(ex))
            {
                return new(CopyEnd.DestinationFailed, bytes);
            }
            if (read.IsCompleted)
            {
                to.ShutdownOutput();
                return new(CopyEnd.SourceFinished, bytes);
            }
        }
    }
}
