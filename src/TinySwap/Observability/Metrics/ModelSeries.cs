using System.Collections.Concurrent;

namespace TinySwap.Observability.Metrics;

/// <summary>Every per-model series: made when the config names the model, so label sets are prepared once.</summary>
internal sealed class ModelSeries(string model)
{
    public string Model { get; } = model;
    public byte[] Label { get; } = ExpositionWriter.Label("model", model);

    public Histogram Duration { get; } = new(Histogram.RequestSeconds);
    public Histogram FirstByte { get; } = new(Histogram.RequestSeconds);
    public Histogram QueueWait { get; } = new(Histogram.WaitSeconds);
    public Histogram SwapDuration { get; } = new(Histogram.SwapSeconds);

    public long PromptTokens;
    public long GeneratedTokens;
    public long Swaps;
    public long LoadFailures;
    public readonly long[] Evictions = new long[EvictionReasons.All.Length];
    public readonly byte[][] EvictionLabels = Array.ConvertAll(EvictionReasons.All, reason => ExpositionWriter.Label("reason", reason));

    /// <summary>The last generation speed seen, as double bits (a gauge).</summary>
    public long LastTokensPerSecondBits;

    private readonly ConcurrentDictionary<(string Route, int Slot), RequestCounter> _requests = new();
    private RequestCounter[] _requestList = [];
    private readonly object _addGate = new();

    /// <summary>Requests per (route, status) pair, created on first use; routes come from the route table, so the set is bounded.</summary>
    public void CountRequest(string route, int status)
    {
        var key = (route, StatusCodeLabel.Slot(status));
        if (!_requests.TryGetValue(key, out var counter))
        {
            lock (_addGate)
            {
                if (!_requests.TryGetValue(key, out counter))
                {
                    counter = new RequestCounter(ExpositionWriter.Labels("model", Model, "route", route), key.Item2);
                    _requests[key] = counter;
                    Volatile.Write(ref _requestList, [.. _requestList, counter]);
                }
            }
        }
        Interlocked.Increment(ref counter.Count);
    }

    /// <summary>A copy-on-write list, so a scrape walks it without an enumerator or a lock.</summary>
    public RequestCounter[] Requests => Volatile.Read(ref _requestList);
}

internal sealed class RequestCounter(byte[] labels, int statusSlot)
{
    public long Count;

    /// <summary><c>model="…",route="…"</c>, prepared once.</summary>
    public byte[] Labels { get; } = labels;
    public int StatusSlot { get; } = statusSlot;
}
