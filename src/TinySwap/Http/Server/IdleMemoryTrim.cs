using TinySwap.Http.Transport;

namespace TinySwap.Http.Server;

/// <summary>
/// Gives the heap back once a busy period is over. The GC only runs when something allocates, so after a burst of
/// requests the memory it committed stays resident for as long as the server then sits idle. When the process has
/// allocated <see cref="TrimAfterBytes"/> since the last trim and then (almost) nothing for <see cref="QuietTicks"/>
/// heartbeats, one compacting collection that decommits free space runs (a millisecond or two: the live heap is
/// small). A steady trickle, such as a few SSE streams, does not count as quiet.
/// </summary>
internal sealed class IdleMemoryTrim : IHeartbeatTarget
{
    /// <summary>Less than this allocated between two ticks counts as quiet (timers and the heartbeat allocate a little).</summary>
    public const long QuietBytesPerTick = 64 * 1024;
    public const int QuietTicks = 2;
    public const long TrimAfterBytes = 8 * 1024 * 1024;

    private readonly Func<long> _allocatedBytes;
    private readonly Action _collect;
    private long _previous;
    private long _atLastTrim;
    private int _quietTicks;

    /// <param name="allocatedBytes">The process's allocation counter (tests pass their own).</param>
    /// <param name="collect">The trimming collection (tests count calls instead).</param>
    public IdleMemoryTrim(Func<long>? allocatedBytes = null, Action? collect = null)
    {
        _allocatedBytes = allocatedBytes ?? (static () => GC.GetTotalAllocatedBytes());
        _collect = collect ?? (static () => GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true));
        _previous = _atLastTrim = _allocatedBytes();
    }

    public void OnHeartbeat(long nowMilliseconds)
    {
        var allocated = _allocatedBytes();
        var sinceTick = allocated - _previous;
        _previous = allocated;
        if (sinceTick >= QuietBytesPerTick)
        {
            _quietTicks = 0;
            return;
        }
        if (++_quietTicks < QuietTicks || allocated - _atLastTrim < TrimAfterBytes)
            return;
        _atLastTrim = allocated;
        _collect();
    }
}
