namespace TinySwap.Observability;

/// <summary>Counts and durations of what the supervisor did, per model (and hook); thread-safe, read as snapshots.</summary>
internal sealed class SupervisorMetrics
{
    private readonly object _gate = new();
    private readonly Dictionary<(string Model, string Hook), DurationStats> _hooks = [];
    private readonly Dictionary<string, DurationStats> _spawnToReady = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DurationStats> _stops = new(StringComparer.Ordinal);

    /// <summary>A hook run; failed covers a non-zero exit, a timeout and a hook that could not be started.</summary>
    public void RecordHook(string model, string hook, TimeSpan duration, bool failed) =>
        Record(_hooks, (model, hook), duration, failed);

    /// <summary>From spawn (or wake of an externally managed model) to ready; failures are starts that never got there.</summary>
    public void RecordStart(string model, TimeSpan duration, bool failed) => Record(_spawnToReady, model, duration, failed);

    /// <summary>A stop; "failed" counts the stops that needed SIGKILL.</summary>
    public void RecordStop(string model, TimeSpan duration, bool killed) => Record(_stops, model, duration, killed);

    public IReadOnlyDictionary<(string Model, string Hook), DurationStats> Hooks() => Snapshot(_hooks);

    /// <summary>Visits every hook's stats under the lock, without copying (a metrics scrape allocates nothing).</summary>
    public void VisitHooks<TState>(TState state, Action<TState, string, string, DurationStats> visit)
    {
        lock (_gate)
        {
            foreach (var ((model, hook), stats) in _hooks)
                visit(state, model, hook, stats);
        }
    }
    public IReadOnlyDictionary<string, DurationStats> Starts() => Snapshot(_spawnToReady);
    public IReadOnlyDictionary<string, DurationStats> Stops() => Snapshot(_stops);

    private void Record<TKey>(Dictionary<TKey, DurationStats> table, TKey key, TimeSpan duration, bool failed) where TKey : notnull
    {
        var seconds = duration.TotalSeconds;
        lock (_gate)
        {
            var s = table.GetValueOrDefault(key);
            table[key] = new DurationStats(s.Count + 1, s.Failures + (failed ? 1 : 0), s.TotalSeconds + seconds, Math.Max(s.MaxSeconds, seconds), seconds);
        }
    }

    private Dictionary<TKey, DurationStats> Snapshot<TKey>(Dictionary<TKey, DurationStats> table) where TKey : notnull
    {
        lock (_gate)
            return new Dictionary<TKey, DurationStats>(table, table.Comparer);
    }
}

/// <summary>Aggregate of one kind of timed operation.</summary>
internal readonly record struct DurationStats(long Count, long Failures, double TotalSeconds, double MaxSeconds, double LastSeconds);
