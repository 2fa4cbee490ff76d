namespace TinySwap.Systemd;

/// <summary>
/// Sends WATCHDOG=1 only when the router loop proves it is alive, so systemd restarts a stuck router instead of
/// hearing from a healthy timer thread. Each tick posts a barrier to the loop (<c>FlushAsync</c>, done once
/// everything posted before it is handled); the ping goes out when the barrier completes before the next tick,
/// i.e. within one interval (half of WatchdogSec=). A barrier still pending at the next tick means a stuck loop:
/// no ping, and no second barrier piled behind the first. STATUS= rides along whenever the loaded models change.
/// </summary>
internal sealed class RouterWatchdog : IDisposable
{
    /// <summary>How often STATUS= is refreshed when systemd set no watchdog.</summary>
    public static readonly TimeSpan StatusOnlyInterval = TimeSpan.FromSeconds(5);

    private readonly NotifySocket _socket;
    private readonly Func<Task> _flushRouter;
    private readonly Func<string> _status;
    private readonly bool _ping;
    private readonly ITimer _timer;
    private readonly Lock _gate = new();
    private Task _pendingFlush = Task.CompletedTask;
    private long _tick;
    private string? _sentStatus;
    private bool _disposed;

    /// <param name="watchdogInterval">Half of WATCHDOG_USEC (<see cref="WatchdogInterval"/>), or null: STATUS= only.</param>
    public RouterWatchdog(NotifySocket socket, Func<Task> flushRouter, Func<string> status, string initialStatus, TimeSpan? watchdogInterval,
        TimeProvider time)
    {
        _socket = socket;
        _flushRouter = flushRouter;
        _status = status;
        _sentStatus = initialStatus;
        _ping = watchdogInterval is not null;
        var interval = watchdogInterval ?? StatusOnlyInterval;
        Interval = interval;
        // One-shot, re-armed by each tick: a tick never overlaps the next, even when a thread-pool stall delays it.
        _timer = time.CreateTimer(_ => Tick(), null, interval, Timeout.InfiniteTimeSpan);
    }

    public TimeSpan Interval { get; }

    /// <summary>Ticks that found the previous barrier still pending (test hook: the loop is stuck).</summary>
    internal int MissedTicks { get; private set; }

    /// <summary>Barriers posted so far (test hook).</summary>
    internal int BarriersPosted { get; private set; }

    /// <summary>Completes when the latest barrier's outcome (ping or no ping) has been acted on (test hook).</summary>
    internal Task LatestOutcome { get; private set; } = Task.CompletedTask;

    private void Tick()
    {
        lock (_gate)
        {
            var tick = ++_tick;
            if (_disposed)
                return;
            _timer.Change(Interval, Timeout.InfiniteTimeSpan);
            if (!_pendingFlush.IsCompleted)
            {
                MissedTicks++;
                return;
            }
            BarriersPosted++;
            _pendingFlush = _flushRouter();
            LatestOutcome = _pendingFlush.ContinueWith(static (flush, state) =>
            {
                var (self, tick) = ((RouterWatchdog, long))state!;
                if (flush.IsCompletedSuccessfully)
                    self.Proven(tick);
            }, (this, tick), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        }
    }

    private void Proven(long tick)
    {
        string? status = null;
        lock (_gate)
        {
            // Proof that came after the next tick started is older than the deadline: that tick decides.
            if (_disposed || tick != _tick)
                return;
        }
        var current = _status();
        if (current != _sentStatus)
            status = _sentStatus = current;
        if (_ping)
            _socket.Send(status is null ? "WATCHDOG=1" : NotifyMessages.Watchdog(status));
        else if (status is not null)
            _socket.Send("STATUS=" + status);
    }

    public void Dispose()
    {
        lock (_gate)
            _disposed = true;
        _timer.Dispose();
    }
}
