namespace TinySwap.Router;

/// <summary>
/// Remembers a model's recent failed starts. Threshold failures within the window trip it: the model is answered
/// 503 until the oldest of those failures leaves the window (or an explicit load clears it). Loop thread only.
/// </summary>
internal sealed class CrashLoopGuard
{
    private readonly List<long> _failures = [];

    /// <summary>When tripped: the timestamp at which the window has passed and starts are allowed again.</summary>
    public long BlockedUntil { get; private set; }

    public int RecentFailures => _failures.Count;

    /// <summary>Records a failed start at <paramref name="now"/>; true when this failure trips the guard.</summary>
    public bool RecordFailure(long now, long window, int threshold)
    {
        _failures.RemoveAll(at => now - at >= window);
        _failures.Add(now);
        if (threshold <= 0 || _failures.Count < threshold)
            return false;
        BlockedUntil = _failures[^threshold] + window;
        return true;
    }

    public void Clear()
    {
        _failures.Clear();
        BlockedUntil = 0;
    }
}
