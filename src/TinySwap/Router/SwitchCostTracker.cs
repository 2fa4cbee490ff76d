namespace TinySwap.Router;

/// <summary>Moving average of how long switching from one model (or from nothing) to another took.</summary>
internal sealed record SwitchCost(string? From, string To, TimeSpan Average, int Samples);

/// <summary>
/// Exponential moving averages of swap durations per (from, to) pair and per target, for metrics and for the loading
/// stream's estimate. Written by the loop; readers get an immutable array republished on each update (swaps are rare).
/// </summary>
internal sealed class SwitchCostTracker
{
    // Weight of the newest sample: recent loads matter more (page cache, a changed model file), older ones still smooth noise.
    private const double Alpha = 0.3;

    private readonly Dictionary<(string From, string To), SwitchCost> _pairs = [];
    private readonly Dictionary<string, TimeSpan> _byTarget = new(StringComparer.Ordinal);
    private SwitchCost[] _published = [];

    public IReadOnlyList<SwitchCost> Published => Volatile.Read(ref _published);

    public void Record(string? from, string to, TimeSpan elapsed)
    {
        var key = (from ?? "", to);
        _pairs[key] = _pairs.TryGetValue(key, out var old)
            ? old with { Average = Blend(old.Average, elapsed), Samples = old.Samples + 1 }
            : new SwitchCost(from, to, elapsed, 1);
        _byTarget[to] = _byTarget.TryGetValue(to, out var average) ? Blend(average, elapsed) : elapsed;

        var snapshot = _pairs.Values.ToArray();
        Array.Sort(snapshot, static (a, b) =>
        {
            var byTo = string.CompareOrdinal(a.To, b.To);
            return byTo != 0 ? byTo : string.CompareOrdinal(a.From, b.From);
        });
        Volatile.Write(ref _published, snapshot);
    }

    /// <summary>Expected duration of a switch: the pair's average, else the target's over any origin, else null.</summary>
    public TimeSpan? Estimate(string? from, string to)
    {
        if (_pairs.TryGetValue((from ?? "", to), out var pair))
            return pair.Average;
        return _byTarget.TryGetValue(to, out var average) ? average : null;
    }

    private static TimeSpan Blend(TimeSpan average, TimeSpan sample) =>
        TimeSpan.FromTicks((long)(average.Ticks * (1 - Alpha) + sample.Ticks * Alpha));
}
