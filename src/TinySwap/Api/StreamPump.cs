using TinySwap.Http.Server;
using TinySwap.Observability.Streams;

namespace TinySwap.Api;

/// <summary>Copies a <see cref="FanOutReader"/>'s messages to a streaming response until the client goes or falls behind.</summary>
internal static class StreamPump
{
    /// <summary>
    /// How long, at most, a stream gathers messages after the first one arrives before it sends them together (the
    /// pause is shared by every stream: <see cref="CoalesceTick"/>).
    /// </summary>
    public static readonly TimeSpan CoalesceDelay = TimeSpan.FromMilliseconds(5);

    /// <summary>
    /// Sends what the response holds so far (head, history), then the messages as they come, each batch gathered for
    /// <see cref="CoalesceDelay"/> and flushed once. A reader dropped for falling behind cancels a flush that waits on
    /// a client that stopped reading; the connection is then reset, so a stream with holes never looks whole.
    /// </summary>
    public static async ValueTask RunAsync(HttpExchange exchange, FanOutReader reader)
    {
        var response = exchange.Response;
        if (exchange.Request.IsHead)
        {
            // A HEAD gets the head of the stream and nothing more to wait for.
            await response.CompleteAsync();
            return;
        }
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(exchange.Aborted, reader.Dropped);
        try
        {
            await response.FlushAsync(stop.Token);
            var messages = reader.Messages;
            while (await messages.WaitToReadAsync(stop.Token))
            {
                // Gather for a moment before sending: under load each proxied request makes a few events, and one
                // send per event per stream would cost more than the request itself. Nobody sees 5 ms on a page.
                await CoalesceTick.Next(CoalesceDelay).WaitAsync(stop.Token);
                while (messages.TryRead(out var message))
                    response.Write(message);
                var flushed = await response.FlushAsync(stop.Token);
                if (flushed.IsCompleted || flushed.IsCanceled)
                    break;
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (IOException)
        {
            // The client went away mid-write.
        }
        if (reader.WasDropped || exchange.Aborted.IsCancellationRequested)
        {
            // Dropped or gone: the stream did not end by design, so never send a clean last chunk.
            exchange.Abort();
            return;
        }
        // Closed at shutdown: the end of the stream, sent as such.
        await response.CompleteAsync();
    }
}
