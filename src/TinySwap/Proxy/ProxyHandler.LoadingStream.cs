using System.Buffers;
using TinySwap.Config;
using TinySwap.Contracts;
using TinySwap.Http.Server;
using TinySwap.Proxy.Forwarding;
using TinySwap.Proxy.LoadingStream;

namespace TinySwap.Proxy;

internal sealed partial class ProxyHandler
{
    /// <summary>
    /// llama-swap shows loading progress only on chat completions, and only to a client that reads a stream; anything
    /// else keeps its plain answer. Checked only for models with sendLoadingState, so other requests pay nothing.
    /// </summary>
    private static bool WantsLoadingStream(HttpExchange exchange, ModelConfig model, in ReadOnlySequence<byte> body) =>
        model.SendLoadingState && exchange.Request.Path.SequenceEqual("/v1/chat/completions"u8) && StreamFlag.IsStreaming(body);

    /// <summary>
    /// Waits at the gate with an observer. A ready model grants without a word from the router, and the request goes
    /// on as any other; the first progress notice means it must wait, and the loading stream starts (headSent).
    /// </summary>
    private async Task<(GateResult Grant, bool HeadSent)> AcquireShowingProgressAsync(HttpExchange exchange, ModelConfig model)
    {
        var progress = new LoadingProgress();
        var acquiring = gate.AcquireAsync(model, progress, exchange.Aborted).AsTask();
        if (await Task.WhenAny(acquiring, progress.FirstNotice) == acquiring)
            return (await acquiring, false);
        return (await LoadingStreamResponse.WaitAsync(exchange, model.Id, progress, acquiring, swaps), true);
    }

    /// <summary>The model's own stream after our progress: its body only, or an error event when it fails.</summary>
    private async ValueTask ForwardAfterLoadingStreamAsync(HttpExchange exchange, ModelConfig model, ForwardRequest forward)
    {
        var outcome = await forwarder.ForwardAsync(exchange, upstreams.GetPool(model.Proxy), forward with { ContinuesStartedResponse = true });
        if (outcome.IsSuccess || outcome.Error is ForwardError.Canceled or ForwardError.ResponseBodyClient || exchange.Aborted.IsCancellationRequested)
            return;
        var message = outcome.StatusCode is > 0 and not 200
            ? $"{model.Id} answered {outcome.StatusCode}"
            : $"{model.Id} failed: {outcome.Detail ?? outcome.Error.ToString()}";
        await LoadingStreamResponse.EndWithErrorAsync(exchange, message, "server_error");
    }
}
