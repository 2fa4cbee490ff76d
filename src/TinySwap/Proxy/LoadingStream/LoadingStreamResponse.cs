using System.Diagnostics;
using TinySwap.Contracts;
using TinySwap.Http.Server;
using TinySwap.Http.Transport;

namespace TinySwap.Proxy.LoadingStream;

/// <summary>
/// The loading stream (sendLoadingState): a streamed chat request that must wait for its model gets its SSE answer at
/// once, with progress chunks while it waits (its queue position, the models stopped for it, then the load against
/// the model's learned load time), and then the model's own stream in the same response. A failure after that point
/// cannot change the status any more, so it ends the stream with one OpenAI error event and <c>[DONE]</c>.
/// </summary>
internal static class LoadingStreamResponse
{
    /// <summary>How often a waiting client hears that the load goes on, when the router has nothing new to say.</summary>
    public static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Sends the head and progress until the gate answers, and returns its answer. Throws
    /// <see cref="OperationCanceledException"/> when the client left (the gate's wait is cancelled with it).
    /// </summary>
    public static async Task<GateResult> WaitAsync(HttpExchange exchange, string model, LoadingProgress progress, Task<GateResult> acquiring,
        SwapWatch? swaps)
    {
        var response = exchange.Response;
        response.StatusCode = 200;
        response.AddHeader("Content-Type"u8, "text/event-stream"u8);
        response.AddHeader("Cache-Control"u8, "no-cache"u8);
        response.AddHeader("X-Accel-Buffering"u8, "no"u8);
        var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var started = Stopwatch.GetTimestamp();
        try
        {
            response.Write(LoadingChunks.Progress(model, created, $"tinyswap: {model} is not ready yet, waiting for it\n"));
            var toldStopping = false;
            while (!acquiring.IsCompleted)
            {
                var now = progress.Snapshot();
                // Once, when the load begins: the models its swap stops to make room.
                if (!toldStopping && now.LoadingModel is { } loading && swaps?.StoppingFor(loading) is { Length: > 0 } stopping)
                {
                    toldStopping = true;
                    response.Write(LoadingChunks.Progress(model, created, $"Stopping {string.Join(", ", stopping)} to make room\n"));
                }
                response.Write(LoadingChunks.Progress(model, created, LoadingChunks.Describe(now)));
                await response.FlushAsync();
                await Task.WhenAny(acquiring, progress.Changed, Task.Delay(Tick));
            }
            if (acquiring.IsCompletedSuccessfully && acquiring.Result.IsGranted)
            {
                var waited = Stopwatch.GetElapsedTime(started).TotalSeconds;
                response.Write(LoadingChunks.Progress(model, created, $"{model} is ready after {waited:0.0} s\n\n"));
                await response.FlushAsync();
            }
        }
        catch (Exception ex) when (IoFailure.IsConnectionFailure(ex))
        {
            // The client is gone: aborting cancels the gate's wait, and a lease granted meanwhile is released by the caller.
            exchange.Abort();
        }
        return await acquiring;
    }

    /// <summary>Ends a started loading stream with an error the SDKs raise, then <c>[DONE]</c>.</summary>
    public static async ValueTask EndWithErrorAsync(HttpExchange exchange, string message, string errorType)
    {
        try
        {
            exchange.Response.Write(LoadingChunks.ErrorThenDone(message, errorType));
            await exchange.Response.CompleteAsync();
        }
        catch (Exception ex) when (IoFailure.IsConnectionFailure(ex))
        {
            exchange.Abort();
        }
    }
}
