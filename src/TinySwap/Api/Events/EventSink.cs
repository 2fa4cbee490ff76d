using TinySwap.Observability;
using TinySwap.Observability.Metrics;

namespace TinySwap.Api.Events;

/// <summary>
/// Joins the observation seam to the events stream: swaps and finished requests become <c>swap</c> and
/// <c>request</c> events. The hub formats nothing while nobody listens, so the check comes first and a request's
/// end costs one field read when no browser is open.
/// </summary>
internal sealed class EventSink(EventHub hub) : IObservationSink
{
    /// <summary>The <c>reason</c> of a swap that stops nothing (the model only had to start).</summary>
    public const string LoadReason = "load";

    public void SwapStarted(string model, ReadOnlySpan<string> evicted)
    {
        if (hub.HasListeners)
            hub.SwapStarted(model, evicted, evicted.IsEmpty ? LoadReason : EvictionReasons.Swap);
    }

    public void RequestFinished(RequestTrace trace, int status, long bytes, long endTimestamp)
    {
        if (!hub.HasListeners)
            return;
        var usage = trace.Usage;
        hub.RequestFinished(new FinishedRequest(trace.Id, trace.Model, trace.Route, status,
            RequestTrace.Seconds(trace.StartTimestamp, endTimestamp), RequestTrace.Seconds(trace.StartTimestamp, trace.FirstByteTimestamp),
            Math.Max(usage.PromptTokens, 0), Math.Max(usage.GeneratedTokens, 0), MetricsRegistry.TokensPerSecond(trace, endTimestamp)));
    }
}
