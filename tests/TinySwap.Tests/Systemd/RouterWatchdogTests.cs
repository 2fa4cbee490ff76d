using TinySwap.Systemd;
using TinySwap.Tests.Router;

namespace TinySwap.Tests.Systemd;

/// <summary>WATCHDOG=1 only when the router loop answers a barrier within the interval; the clock is the test's.</summary>
public sealed class RouterWatchdogTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(15); // WatchdogSec=30s

    private sealed class FakeRouterLoop
    {
        public List<TaskCompletionSource> Barriers { get; } = [];

        public Task FlushAsync()
        {
            var barrier = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Barriers.Add(barrier);
            return barrier.Task;
        }
    }

    [Fact]
    public async Task LoopAnswers_PingsOncePerHalfWatchdogInterval()
    {
        using var listener = NotifyListener.Abstract();
        using var socket = NotifySocket.Open(listener.Address)!;
        var time = new FakeTimeProvider();
        var loop = new FakeRouterLoop();
        using var watchdog = new RouterWatchdog(socket, loop.FlushAsync, () => "idle", "idle", Interval, time);

        time.Advance(Interval - TimeSpan.FromTicks(1));
        Assert.Empty(loop.Barriers);
        time.Advance(TimeSpan.FromTicks(1));
        Assert.Single(loop.Barriers);
        loop.Barriers[0].SetResult();
        await watchdog.LatestOutcome;
        Assert.Equal("WATCHDOG=1", await listener.ReceiveAsync(Bound));

        time.Advance(Interval);
        Assert.Equal(2, loop.Barriers.Count);
        loop.Barriers[1].SetResult();
        await watchdog.LatestOutcome;
        Assert.Equal("WATCHDOG=1", await listener.ReceiveAsync(Bound));
    }

    [Fact]
    public async Task LoopBlocked_NoPingAndNoPileOfBarriers_PingsAgainOnceItRecovers()
    {
        using var listener = NotifyListener.Abstract();
        using var socket = NotifySocket.Open(listener.Address)!;
        var time = new FakeTimeProvider();
        var loop = new FakeRouterLoop();
        using var watchdog = new RouterWatchdog(socket, loop.FlushAsync, () => "idle", "idle", Interval, time);

        time.Advance(Interval * 4);

        Assert.Single(loop.Barriers);
        Assert.Equal(3, watchdog.MissedTicks);
        Assert.Equal(0, listener.Pending);

        // The loop comes back, but after the deadline: that late answer proves nothing about now.
        loop.Barriers[0].SetResult();
        await watchdog.LatestOutcome;
        Assert.Equal(0, listener.Pending);

        time.Advance(Interval);
        Assert.Equal(2, loop.Barriers.Count);
        loop.Barriers[1].SetResult();
        await watchdog.LatestOutcome;
        Assert.Equal("WATCHDOG=1", await listener.ReceiveAsync(Bound));
    }

    [Fact]
    public async Task StatusChanges_RideAlongWithThePing()
    {
        using var listener = NotifyListener.Abstract();
        using var socket = NotifySocket.Open(listener.Address)!;
        var time = new FakeTimeProvider();
        var loop = new FakeRouterLoop();
        var status = "serving, no model loaded (1 configured)";
        using var watchdog = new RouterWatchdog(socket, loop.FlushAsync, () => status, status, Interval, time);

        status = "serving, loaded: a (1 configured)";
        time.Advance(Interval);
        loop.Barriers[0].SetResult();
        await watchdog.LatestOutcome;

        Assert.Equal("WATCHDOG=1\nSTATUS=serving, loaded: a (1 configured)", await listener.ReceiveAsync(Bound));
    }

    [Fact]
    public async Task NoWatchdogSet_SendsStatusChangesOnly()
    {
        using var listener = NotifyListener.Abstract();
        using var socket = NotifySocket.Open(listener.Address)!;
        var time = new FakeTimeProvider();
        var loop = new FakeRouterLoop();
        var status = "before";
        using var watchdog = new RouterWatchdog(socket, loop.FlushAsync, () => status, status, watchdogInterval: null, time);

        time.Advance(RouterWatchdog.StatusOnlyInterval);
        loop.Barriers[0].SetResult();
        await watchdog.LatestOutcome;
        Assert.Equal(0, listener.Pending);

        status = "after";
        time.Advance(RouterWatchdog.StatusOnlyInterval);
        loop.Barriers[1].SetResult();
        await watchdog.LatestOutcome;
        Assert.Equal("STATUS=after", await listener.ReceiveAsync(Bound));
    }
}
