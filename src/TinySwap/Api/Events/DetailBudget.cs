namespace TinySwap.Api.Events;

/// <summary>
/// How many items of one kind (finished requests, log lines) the events stream carries one by one per window; past
/// that, items are only counted, and the count is sent once the window ends. So what an open page costs the proxy is
/// bounded per second instead of growing with the request rate: at 30k requests a second, ten pages receiving every
/// request and its log line cost a quarter of the proxy's throughput, and a page appending 30k lines a second to its
/// log view stops responding anyway. Pure: the caller passes the time (timestamps of one clock) and publishes.
/// </summary>
internal sealed class DetailBudget(int perWindow, long windowTicks)
{
    private readonly Lock _gate = new();
    // The window opens at the first item after the last one closed; long.MinValue: no window open.
    private long _windowEnd = long.MinValue;
    private int _sent;
    private long _omitted;

    public int PerWindow => perWindow;

    /// <summary>
    /// One item at <paramref name="now"/>: whether to send it. <see cref="Decision.EndedOmitted"/> counts the items
    /// held back in a window that ended before this one (to summarise first); <see cref="Decision.ArmIn"/> is set on a
    /// window's first held-back item, with the time left until the window ends (when to summarise if nothing follows).
    /// </summary>
    public Decision Take(long now)
    {
        lock (_gate)
        {
            var ended = CloseIfEnded(now);
            if (_windowEnd == long.MinValue)
                _windowEnd = now + windowTicks;
            if (_sent < perWindow)
            {
                _sent++;
                return new Decision(true, ended, null);
            }
            _omitted++;
            return new Decision(false, ended, _omitted == 1 ? _windowEnd - now : null);
        }
    }

    /// <summary>
    /// The count of held-back items once their window has ended at <paramref name="now"/> (0 if none), closing it;
    /// <paramref name="pendingIn"/> is the time left when items are held back in a window still open.
    /// </summary>
    public long TakeEnded(long now, out long? pendingIn)
    {
        lock (_gate)
        {
            var ended = CloseIfEnded(now);
            pendingIn = _omitted > 0 ? _windowEnd - now : null;
            return ended;
        }
    }

    private long CloseIfEnded(long now)
    {
        if (_windowEnd == long.MinValue || now < _windowEnd)
            return 0;
        var omitted = _omitted;
        _windowEnd = long.MinValue;
        _sent = 0;
        _omitted = 0;
        return omitted;
    }

    /// <param name="Send">Send this item.</param>
    /// <param name="EndedOmitted">Items held back in the window that just closed.</param>
    /// <param name="ArmIn">Ticks until the current window ends, on its first held-back item.</param>
    public readonly record struct Decision(bool Send, long EndedOmitted, long? ArmIn);
}
