namespace TinySwap.Router;

/// <summary>
/// Spaces out automatic restarts of a model whose starts keep failing: after the n-th failure in a row the next
/// attempt waits initial × 2^(n-1), capped (1 s, 2 s, 4 s … 60 s by default). Requests that arrive meanwhile are
/// answered 503 at once with the time left, so an SDK's own retries neither hammer the model nor sleep for minutes.
/// A successful start or an explicit load resets it. Loop thread only; times are timestamps of the router's clock.
/// </summary>
internal sealed class RestartBackoff
{
    /// <summary>Failed starts since the last success (or reset).</summary>
    public int ConsecutiveFailures { get; private set; }

    /// <summary>The timestamp before which no automatic start is tried; 0 when none is pending.</summary>
    public long BlockedUntil { get; private set; }

    /// <summary>Records a failed start at <paramref name="now"/> and returns the delay before the next attempt.</summary>
    public long RecordFailure(long now, long initial, long max)
    {
        ConsecutiveFailures++;
        var delay = initial;
        for (var i = 1; i < ConsecutiveFailures && delay < max; i++)
            delay *= 2;
        delay = Math.Min(delay, max);
        BlockedUntil = now + delay;
        return delay;
    }

    public void Clear()
    {
        ConsecutiveFailures = 0;
        BlockedUntil = 0;
    }
}
