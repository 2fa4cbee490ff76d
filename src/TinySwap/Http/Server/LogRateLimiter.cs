namespace TinySwap.Http.Server;

/// <summary>
/// Lets a repeated warning through at most once per interval and counts what it held back, so a flood of refused
/// connections costs one log line a second instead of one per connection (a log is a disk an attacker can fill).
/// Pure: the caller passes the time (milliseconds of a monotonic clock), so tests need no sleeps.
/// </summary>
internal sealed class LogRateLimiter(TimeSpan interval)
{
    private readonly long _intervalMs = (long)interval.TotalMilliseconds;
    private readonly Lock _lock = new();
    private long _lastLineMs;
    private bool _anyLine;
    private long _pending;

    /// <summary>
    /// Records one occurrence at <paramref name="nowMs"/>; returns how many occurrences the line to write now reports
    /// (this one and those held back since the last line), or 0 when no line is due yet.
    /// </summary>
    public long Record(long nowMs)
    {
        lock (_lock)
        {
            _pending++;
            if (_anyLine && nowMs - _lastLineMs < _intervalMs)
                return 0;
            _anyLine = true;
            _lastLineMs = nowMs;
            var count = _pending;
            _pending = 0;
            return count;
        }
    }
}
