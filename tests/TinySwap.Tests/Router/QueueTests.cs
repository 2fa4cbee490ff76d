using TinySwap.Router;
using static TinySwap.Tests.Router.RouterHarness;
using static TinySwap.Tests.Router.CoreHarness;
using TinySwap.Contracts;

namespace TinySwap.Tests.Router;

/// <summary>The wait queue: order, collation, priority, disconnects, timeouts and positions.</summary>
public sealed class QueueTests
{
    [Fact]
    public async Task InterleavedRequests_AreServedCollated_ABAB_As_AABB()
    {
        await using var harness = new CoreHarness(Model("a"), Model("b"));
        var a0 = await harness.Serve("a");

        var b1 = harness.Request("b");
        var a1 = harness.Request("a");
        var b2 = harness.Request("b");
        var a2 = harness.Request("a");
        await harness.Settle();
        // a's turn is over once b waits for it: the new a requests queue behind b instead of starving it.
        Assert.False(a1.IsAnswered);
        Assert.False(a2.IsAnswered);

        await harness.Release(a0);
        harness.Process("b").CompleteStart();
        var leaseB1 = await b1.Granted();
        var leaseB2 = await b2.Granted();
        await harness.Settle();
        Assert.False(a1.IsAnswered);
        Assert.False(a2.IsAnswered);

        leaseB1.Release();
        await harness.Release(leaseB2);
        harness.Process("a").CompleteStart();
        await a1.Granted();
        await a2.Granted();

        // Two switches in all, not four: b started once, a restarted once.
        Assert.Equal(["start", "stop:Swap", "start"], harness.Process("a").Calls);
        Assert.Equal(["start", "stop:Swap"], harness.Process("b").Calls);
    }

    [Fact]
    public async Task HigherPriorityModel_IsServedBeforeEarlierWaiters()
    {
        await using var harness = new CoreHarness(Model("a"), Model("b"), Model("urgent") with { Priority = 10 });
        var a0 = await harness.Serve("a");

        var forB = harness.Request("b");
        var forUrgent = harness.Request("urgent");
        await harness.Settle();
        await harness.Release(a0);

        Assert.True(harness.Process("urgent").IsStarting);
        Assert.Empty(harness.Process("b").Calls);
        harness.Process("urgent").CompleteStart();
        (await forUrgent.Granted()).Release();
        await harness.Settle();
        harness.Process("b").CompleteStart();
        await forB.Granted();
    }

    [Fact]
    public async Task DisconnectedWaiter_IsDropped_AndNeverCountedInFlight()
    {
        await using var harness = new CoreHarness(Model("a"), Model("b"));
        var a0 = await harness.Serve("a");
        using var client = new CancellationTokenSource();
        var forB = harness.Request("b", aborted: client.Token);
        await harness.Settle();
        Assert.Equal(1, harness.Status("b").Queued);

        client.Cancel();
        await harness.Settle();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => forB.Task);
        Assert.Equal(0, harness.Status("b").Queued);
        await harness.Release(a0);
        // Nobody waits for b any more, so a stays: the dropped request started nothing.
        Assert.Equal(ModelState.Ready, harness.State("a"));
        Assert.Empty(harness.Process("b").Calls);
        Assert.Equal(0, harness.Status("b").InFlight);
    }

    [Fact]
    public async Task DisconnectedSwapWaiter_LeavesTheSwap_OthersStillGranted()
    {
        await using var harness = new CoreHarness(Model("a"));
        using var client = new CancellationTokenSource();
        var leaving = harness.Request("a", aborted: client.Token);
        var staying = harness.Request("a");
        await harness.Settle();

        client.Cancel();
        await harness.Settle();
        harness.Process("a").CompleteStart();

        await staying.Granted();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => leaving.Task);
        await harness.Settle();
        Assert.Equal(1, harness.Status("a").InFlight);
    }

    [Fact]
    public async Task QueuedTooLong_Refused503_WithRetryAfter()
    {
        var config = ConfigOf([Model("a"), Model("b")], null, c => c with { QueueTimeout = TimeSpan.FromSeconds(30) });
        await using var harness = new CoreHarness(config);
        var a0 = await harness.Serve("a");
        var forB = harness.Request("b");
        await harness.Settle();

        await harness.Advance(TimeSpan.FromSeconds(29));
        Assert.False(forB.IsAnswered);

        await harness.Advance(TimeSpan.FromSeconds(1));
        var refusal = await forB.Refused();

        Assert.Equal(503, refusal.StatusCode);
        Assert.Equal("queue_timeout", refusal.ErrorCode);
        Assert.NotNull(refusal.RetryAfter);
        Assert.True(refusal.RetryAfter >= TimeSpan.FromSeconds(1));
        Assert.Equal(0, harness.Status("b").Queued);
        a0.Release();
    }

    [Fact]
    public async Task SlowStart_WaitersPastTheTimeout_Refused503_TheStartGoesOn()
    {
        var config = ConfigOf([Model("a")], null, c => c with { QueueTimeout = TimeSpan.FromSeconds(10) });
        await using var harness = new CoreHarness(config);
        var early = harness.Request("a");
        await harness.Settle();
        harness.Time.Advance(TimeSpan.FromSeconds(6));
        var late = harness.Request("a");
        await harness.Settle();

        await harness.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(503, (await early.Refused()).StatusCode);
        Assert.False(late.IsAnswered);

        harness.Process("a").CompleteStart();
        await late.Granted();
    }

    [Fact]
    public async Task QueuePositions_AreReported_AndMoveUp()
    {
        await using var harness = new CoreHarness(Model("a"), Model("b"), Model("c"));
        var a0 = await harness.Serve("a");
        var first = new RecordingObserver();
        var second = new RecordingObserver();
        using var client = new CancellationTokenSource();

        _ = harness.Request("b", first, client.Token);
        var forC = harness.Request("c", second);
        await harness.Settle();
        Assert.Equal([1], first.Positions);
        Assert.Equal([2], second.Positions);

        client.Cancel();
        await harness.Settle();

        Assert.Equal([2, 1], second.Positions);
        await harness.Release(a0);
        Assert.Equal("c", second.LoadingModel);
        harness.Process("c").CompleteStart();
        await forC.Granted();
    }
}
