using TinySwap.Router;
using static TinySwap.Tests.Router.RouterHarness;
using static TinySwap.Tests.Router.CoreHarness;
using TinySwap.Contracts;

namespace TinySwap.Tests.Router;

/// <summary>Each branch of the per-request decision tree.</summary>
public sealed class DecisionTreeTests
{
    [Fact]
    public async Task UnknownModel_Refused404_ListingKnownIds()
    {
        await using var harness = new CoreHarness(Model("a"), Model("b"), Model("hidden") with { Unlisted = true });

        var refusal = await harness.Request("nope").Refused();

        Assert.Equal(404, refusal.StatusCode);
        Assert.Equal("model_not_found", refusal.ErrorCode);
        Assert.Contains("a, b", refusal.Message);
        Assert.DoesNotContain("hidden", refusal.Message);
    }

    [Fact]
    public async Task ColdModel_ManyConcurrentRequests_OneStartServesThemAll()
    {
        await using var harness = new CoreHarness(Model("a"));

        var requests = Enumerable.Range(0, 100).Select(_ => harness.Request("a")).ToArray();
        await harness.Settle();
        Assert.All(requests, request => Assert.False(request.IsAnswered));
        Assert.Equal(100, harness.Status("a").Queued);
        Assert.Equal(ModelState.Starting, harness.State("a"));

        harness.Process("a").CompleteStart();
        foreach (var request in requests)
            await request.Granted();

        Assert.Equal(["start"], harness.Process("a").Calls);
        Assert.Equal(100, harness.Status("a").InFlight);
        Assert.Equal(ModelState.Ready, harness.State("a"));
    }

    [Fact]
    public async Task ReadyModel_GrantedAtOnce_WithoutAnotherStart()
    {
        await using var harness = new CoreHarness(Model("a"));
        var first = await harness.Serve("a");

        var second = harness.Request("a");
        await harness.Settle();

        Assert.True(second.IsAnswered);
        await second.Granted();
        Assert.Equal(["start"], harness.Process("a").Calls);
        Assert.Equal(2, harness.Status("a").InFlight);
        await harness.Release(first);
        Assert.Equal(1, harness.Status("a").InFlight);
    }

    [Fact]
    public async Task BusyModel_IsNeverEvicted_TheSwapWaitsForItsRequestsToEnd()
    {
        await using var harness = new CoreHarness(Model("a"), Model("b"));
        var leaseA = await harness.Serve("a");

        var forB = harness.Request("b");
        await harness.Settle();

        Assert.False(forB.IsAnswered);
        Assert.Equal(["start"], harness.Process("a").Calls);
        Assert.Equal(ModelState.Ready, harness.State("a"));
        Assert.Empty(harness.Process("b").Calls);

        await harness.Release(leaseA);
        Assert.Equal(["start", "stop:Swap"], harness.Process("a").Calls);
        harness.Process("b").CompleteStart();
        await forB.Granted();
        Assert.Equal(ModelState.Stopped, harness.State("a"));
    }

    [Fact]
    public async Task RequestForModelBeingEvicted_Queues_ThenSwapsBackWhenTheOtherDrains()
    {
        await using var harness = new CoreHarness(Model("a"), Model("b"));
        (await harness.Serve("a")).Release();
        harness.Process("a").AutoStop = false;

        var forB = harness.Request("b");
        await harness.Settle();
        Assert.True(harness.Process("a").IsStopping);

        // a is being stopped by b's swap: this request collides and waits.
        var forA = harness.Request("a");
        await harness.Settle();
        Assert.Equal(1, harness.Status("a").Queued);

        harness.Process("a").CompleteStop();
        await harness.Settle();
        harness.Process("b").CompleteStart();
        var leaseB = await forB.Granted();
        await harness.Settle();
        Assert.False(forA.IsAnswered); // would now evict b, which is busy

        harness.Process("a").AutoStop = true;
        harness.Process("b").AutoStop = true;
        await harness.Release(leaseB);
        harness.Process("a").CompleteStart();
        await forA.Granted();
        Assert.Equal(["start", "stop:Swap", "start"], harness.Process("a").Calls);
        Assert.Equal(["start", "stop:Swap"], harness.Process("b").Calls);
    }

    [Fact]
    public async Task ReadyModel_RequestedWhileAnotherSwapEvictsIt_Queues()
    {
        await using var harness = new CoreHarness(Model("a"), Model("b"));
        (await harness.Serve("a")).Release();
        harness.Process("a").AutoStop = false;
        var forB = harness.Request("b");
        await harness.Settle();

        var forA = harness.Request("a");
        await harness.Settle();

        Assert.False(forA.IsAnswered);
        Assert.Equal(ModelState.Stopping, harness.State("a"));
        harness.Process("a").CompleteStop();
        await harness.Settle();
        harness.Process("b").CompleteStart();
        (await forB.Granted()).Release();
        await harness.Settle();
        harness.Process("a").CompleteStart();
        await forA.Granted();
    }

    [Fact]
    public async Task SwapsWithDisjointEvictSets_RunInParallel()
    {
        var config = ConfigOf(
            [Model("a1"), Model("a2"), Model("b1"), Model("b2")],
            [Group("ga", exclusive: false, members: ["a1", "a2"]), Group("gb", exclusive: false, members: ["b1", "b2"])]);
        await using var harness = new CoreHarness(config);
        (await harness.Serve("a1")).Release();
        (await harness.Serve("b1")).Release();
        harness.Process("a1").AutoStop = false;
        harness.Process("b1").AutoStop = false;

        var forA2 = harness.Request("a2");
        var forB2 = harness.Request("b2");
        await harness.Settle();

        // Both evictions are under way at the same time...
        Assert.True(harness.Process("a1").IsStopping);
        Assert.True(harness.Process("b1").IsStopping);
        harness.Process("a1").CompleteStop();
        harness.Process("b1").CompleteStop();
        await harness.Settle();

        // ...and so are both starts.
        Assert.True(harness.Process("a2").IsStarting);
        Assert.True(harness.Process("b2").IsStarting);
        harness.Process("b2").CompleteStart();
        harness.Process("a2").CompleteStart();
        await forA2.Granted();
        await forB2.Granted();
    }

    [Fact]
    public async Task SwapsWithOverlappingEvictSets_RunOneAfterTheOther()
    {
        await using var harness = new CoreHarness(Model("a"), Model("b"), Model("c"));
        (await harness.Serve("a")).Release();
        harness.Process("a").AutoStop = false;

        var forB = harness.Request("b");
        var forC = harness.Request("c");
        await harness.Settle();

        Assert.Empty(harness.Process("c").Calls);
        Assert.Equal(1, harness.Status("c").Queued);
        harness.Process("a").CompleteStop();
        await harness.Settle();
        harness.Process("b").CompleteStart();
        (await forB.Granted()).Release();
        await harness.Settle();
        harness.Process("c").CompleteStart();
        await forC.Granted();
        Assert.Equal(["start", "stop:Swap"], harness.Process("b").Calls);
    }

    [Fact]
    public async Task ReadyModel_ThatThePolicyNowCrowdsOut_EvictsWithoutRestarting()
    {
        var twoUp = ConfigOf([Model("a"), Model("b")], null, c => c with { MaxRunning = 2 });
        await using var harness = new CoreHarness(twoUp);
        (await harness.Serve("b")).Release();
        (await harness.Serve("a")).Release();
        await harness.Reload(ConfigOf([Model("a"), Model("b")], null, c => c with { MaxRunning = 1 }));

        var request = harness.Request("a");
        await harness.Settle();

        await request.Granted();
        Assert.Equal(["start"], harness.Process("a").Calls);
        Assert.Equal(["start", "stop:Swap"], harness.Process("b").Calls);
    }

    [Fact]
    public async Task QueuedRequest_IsReexamined_WhenTheModelItWaitsOnIsUnloaded()
    {
        await using var harness = new CoreHarness(Model("a"), Model("b"));
        var leaseA = await harness.Serve("a");
        var forB = harness.Request("b");
        await harness.Settle();

        await Done(harness.Router.UnloadAsync("a"));
        await harness.Settle();
        harness.Process("b").CompleteStart();

        await forB.Granted();
        leaseA.Release();
    }

    [Fact]
    public async Task Snapshot_ShowsStatePidInFlightAndQueued()
    {
        await using var harness = new CoreHarness(Model("a"), Model("b"));
        var lease = await harness.Serve("a");
        _ = harness.Request("b");
        await harness.Settle();

        var a = harness.Status("a");
        var b = harness.Status("b");

        Assert.Equal(ModelState.Ready, a.State);
        Assert.Equal(harness.Process("a").Pid, a.Pid);
        Assert.Equal(1, a.InFlight);
        Assert.Equal(ModelState.Stopped, b.State);
        Assert.Null(b.Pid);
        Assert.Equal(1, b.Queued);
        Assert.Equal(["a", "b"], harness.Router.Snapshot().Select(status => status.Id));
        lease.Release();
    }
}
