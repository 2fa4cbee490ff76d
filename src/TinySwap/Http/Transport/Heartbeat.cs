using System.Collections.Concurrent;

namespace TinySwap.Http.Transport;

/// <summary>Something checked on every heartbeat tick (a connection's timeouts, a pool's idle connections).</summary>
internal interface IHeartbeatTarget
{
    void OnHeartbeat(long nowMilliseconds);
}

/// <summary>
/// One coarse timer for every timeout in the process, as Kestrel does: a connection stores deadlines as numbers and the
/// tick compares them, instead of arming and disarming a Timer per request.
/// </summary>
internal sealed class Heartbeat : IDisposable
{
    private readonly ConcurrentDictionary<IHeartbeatTarget, byte> _targets = new(ReferenceEqualityComparer.Instance);
    private readonly Timer _timer;
    private int _ticking;

    public Heartbeat(TimeSpan interval)
    {
        Interval = interval;
        _timer = new Timer(static state => ((Heartbeat)state!).Tick(), this, interval, interval);
    }

    public TimeSpan Interval { get; }

    /// <summary>The heartbeat's clock: milliseconds since boot (monotonic, cheap).</summary>
    public static long Now => Environment.TickCount64;

    public void Register(IHeartbeatTarget target) => _targets.TryAdd(target, 0);

    public void Unregister(IHeartbeatTarget target) => _targets.TryRemove(target, out _);

    private void Tick()
    {
        // A slow tick must not overlap the next one.
        if (Interlocked.Exchange(ref _ticking, 1) != 0)
            return;
        try
        {
            var now = Now;
            foreach (var pair in _targets)
                pair.Key.OnHeartbeat(now);
        }
        finally
        {
            Volatile.Write(ref _ticking, 0);
        }
    }

    public void Dispose() => _timer.Dispose();
}
