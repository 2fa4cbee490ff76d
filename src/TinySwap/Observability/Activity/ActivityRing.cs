using TinySwap.Observability.Metrics;

namespace TinySwap.Observability.Activity;

/// <summary>One finished request as the activity list shows it; strings are config ids and route labels, never copies.</summary>
internal readonly record struct ActivityEntry(
    long Id, DateTimeOffset Started, string? Model, string Route, int Status, long Bytes, double FirstByteMs, double DurationMs,
    long PromptTokens, long GeneratedTokens, double TokensPerSecond);

/// <summary>
/// The last N finished requests (a ring: the oldest is overwritten), and the requests in flight by id, so
/// <c>POST /api/inflight/{id}/cancel</c> can end one.
/// </summary>
internal sealed class ActivityRing(int capacity) : IObservationSink
{
    private readonly ActivityEntry[] _entries = new ActivityEntry[Math.Max(capacity, 1)];
    private readonly Dictionary<long, RequestTrace> _inFlight = [];
    private long _written;
    private long _promptTokens;
    private long _generatedTokens;

    public int Capacity => _entries.Length;

    public void RequestStarted(RequestTrace trace)
    {
        lock (_inFlight)
            _inFlight[trace.Id] = trace;
    }

    public void RequestFinished(RequestTrace trace, int status, long bytes, long endTimestamp)
    {
        var usage = trace.Usage;
        var entry = new ActivityEntry(trace.Id, trace.StartedAt, trace.Model, trace.Route, status, bytes,
            Milliseconds(trace.StartTimestamp, trace.FirstByteTimestamp), Milliseconds(trace.StartTimestamp, endTimestamp),
            Math.Max(usage.PromptTokens, 0), Math.Max(usage.GeneratedTokens, 0), MetricsRegistry.TokensPerSecond(trace, endTimestamp));
        lock (_inFlight)
        {
            _inFlight.Remove(trace.Id);
            _entries[_written % _entries.Length] = entry;
            _written++;
            _promptTokens += entry.PromptTokens;
            _generatedTokens += entry.GeneratedTokens;
        }
    }

    /// <summary>Aborts the in-flight request <paramref name="id"/>; false when no such request runs.</summary>
    public bool Cancel(long id)
    {
        RequestTrace? trace;
        lock (_inFlight)
            _inFlight.TryGetValue(id, out trace);
        if (trace is null)
            return false;
        trace.Abort();
        return true;
    }

    /// <summary>The requests running now (id, start, model so far, route), oldest first.</summary>
    public (long Id, DateTimeOffset Started, string? Model, string Route)[] InFlight()
    {
        lock (_inFlight)
        {
            var result = new (long, DateTimeOffset, string?, string)[_inFlight.Count];
            var i = 0;
            foreach (var trace in _inFlight.Values)
                result[i++] = (trace.Id, trace.StartedAt, trace.Model, trace.Route);
            Array.Sort(result, (x, y) => x.Item1.CompareTo(y.Item1));
            return result;
        }
    }

    /// <summary>The retained entries, newest first (at most <paramref name="limit"/>).</summary>
    public ActivityEntry[] Newest(int limit)
    {
        lock (_inFlight)
        {
            var count = (int)Math.Min(Math.Min(_written, _entries.Length), limit);
            var result = new ActivityEntry[count];
            for (var i = 0; i < count; i++)
                result[i] = _entries[(_written - 1 - i) % _entries.Length];
            return result;
        }
    }

    /// <summary>Requests finished since start, and the tokens they reported (the ring keeps only the last <see cref="Capacity"/>).</summary>
    public (long Requests, long PromptTokens, long GeneratedTokens) Totals()
    {
        lock (_inFlight)
            return (_written, _promptTokens, _generatedTokens);
    }

    private static double Milliseconds(long from, long to) => RequestTrace.Seconds(from, to) * 1000;
}
