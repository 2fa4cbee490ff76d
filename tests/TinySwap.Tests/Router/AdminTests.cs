using TinySwap.Config;
using TinySwap.Router;
using static TinySwap.Tests.Router.RouterHarness;
using static TinySwap.Tests.Router.CoreHarness;
using TinySwap.Contracts;

namespace TinySwap.Tests.Router;

/// <summary>Load, unload, preload, reload and shutdown.</summary>
public sealed class AdminTests
{
    [Fact]
    public async Task Load_CompletesWhenReady_WithoutCountingARequest()
    {
        await using var harness = new CoreHarness(Model("a") with { Aliases = ["alias-a"] });

        var load = harness.Router.LoadAsync("alias-a");
        await harness.Settle();
        Assert.False(load.IsCompleted);
        harness.Process("a").CompleteStart();

        Assert.Null(await Done(load));
        Assert.Equal(0, harness.Status("a").InFlight);
        Assert.Equal(404, (await Done(harness.Router.LoadAsync("nope")))!.StatusCode);
    }

    [Fact]
    public async Task Unload_ReturnsWhenStopped_AndAnswersItsQueuedWaiters()
    {
        await using var harness = new CoreHarness(Model("a"), Model("b"));
        var leaseA = await harness.Serve("a");
        var forB = harness.Request("b");
        await harness.Settle();
        harness.Process("a").AutoStop = false;

        var unloadA = harness.Router.UnloadAsync("a");
        var unloadB = harness.Router.UnloadAsync("b");
        await harness.Settle();

        Assert.True(await Done(unloadB));
        Assert.Equal(503, (await forB.Refused()).StatusCode);
        Assert.False(unloadA.IsCompleted);
        Assert.Equal(["start", "stop:Unload"], harness.Process("a").Calls);
        harness.Process("a").CompleteStop();
        Assert.True(await Done(unloadA));
        Assert.Equal(ModelState.Stopped, harness.State("a"));

        // The cut-off request still releases normally, and its count comes back to zero.
        await harness.Release(leaseA);
        Assert.Equal(0, harness.Status("a").InFlight);
        Assert.False(await Done(harness.Router.UnloadAsync("nope")));
    }

    [Fact]
    public async Task Unload_DuringStart_CancelsIt_AndStopsWhatever_TheStartLeft()
    {
        await using var harness = new CoreHarness(Model("a"));
        var request = harness.Request("a");
        await harness.Settle();
        harness.Process("a").HonourCancellation = false;

        var unload = harness.Router.UnloadAsync("a");
        await harness.Settle();
        Assert.True(harness.Process("a").StartCancellation.IsCancellationRequested);
        Assert.Equal(503, (await request.Refused()).StatusCode);

        harness.Process("a").CompleteStart(); // it became ready just as the cancellation landed
        await Done(unload);
        Assert.Equal(["start", "stop:Unload"], harness.Process("a").Calls);
        Assert.Equal(ModelState.Stopped, harness.State("a"));
    }

    [Fact]
    public async Task UnloadAll_StopsEveryRunningModel()
    {
        var config = ConfigOf([Model("a"), Model("b"), Model("c")], null, c => c with { MaxRunning = 3 });
        await using var harness = new CoreHarness(config);
        (await harness.Serve("a")).Release();
        (await harness.Serve("b")).Release();

        await Done(harness.Router.UnloadAllAsync());

        Assert.All(harness.Router.Snapshot(), status => Assert.Equal(ModelState.Stopped, status.State));
        Assert.Empty(harness.Process("c").Calls);
    }

    [Fact]
    public async Task Reload_UnchangedModelKeepsItsProcessAndRequests_ChangedOneRestartsOnceIdle()
    {
        var config = ConfigOf([Model("a"), Model("b")], null, c => c with { MaxRunning = 2 });
        await using var harness = new CoreHarness(config);
        var leaseA = await harness.Serve("a");
        var leaseB = await harness.Serve("b");
        var processA = harness.Process("a");
        var processB = harness.Process("b");

        await harness.Reload(ConfigOf([Model("a") with { Description = "only metadata" }, Model("b", fingerprint: "v2"), Model("c")],
            null, c => c with { MaxRunning = 3 }));

        // a: same fingerprint, same process, still serving. b: changed, but busy, so it keeps running for now.
        Assert.Equal(ModelState.Ready, harness.State("a"));
        Assert.Equal(ModelState.Ready, harness.State("b"));
        Assert.Equal(1, harness.Status("a").InFlight);
        var forNewB = harness.Request("b");
        await harness.Settle();
        Assert.False(forNewB.IsAnswered);

        await harness.Release(leaseB);
        Assert.Equal(["start", "stop:Reload"], processB.Calls);
        var newB = harness.Process("b");
        Assert.NotSame(processB, newB);
        Assert.Equal("b:v2", newB.Config.Fingerprint);
        newB.CompleteStart();
        await forNewB.Granted();

        // The unchanged model never noticed.
        Assert.Same(processA, harness.Process("a"));
        Assert.Equal(["start"], processA.Calls);
        await harness.Release(leaseA);
        Assert.Equal(0, harness.Status("a").InFlight);
        Assert.Equal("only metadata", (await harness.Serve("a")).Model.Description);
        // A new model is available at once.
        (await harness.Serve("c")).Release();
    }

    [Fact]
    public async Task Reload_RemovedModel_IsStoppedAndForgotten()
    {
        await using var harness = new CoreHarness(Model("a"), Model("b"));
        (await harness.Serve("a")).Release();

        await harness.Reload(ConfigOf([Model("b")]));

        Assert.Equal(["start", "stop:Reload"], harness.Process("a").Calls);
        Assert.DoesNotContain(harness.Router.Snapshot(), status => status.Id == "a");
        var refusal = await Done(harness.Router.AcquireAsync(Model("a"), null, default).AsTask());
        Assert.Equal(404, refusal.Refusal!.StatusCode);
    }

    [Fact]
    public async Task Shutdown_RefusesWaiters_DrainsInFlight_ThenStopsAllInParallel()
    {
        var config = ConfigOf([Model("a"), Model("b"), Model("c")], null, c => c with { MaxRunning = 2 });
        await using var harness = new CoreHarness(config);
        var leaseA = await harness.Serve("a");
        (await harness.Serve("b")).Release();
        var forC = harness.Request("c"); // evicts idle b and starts
        await harness.Settle();
        Assert.True(harness.Process("c").IsStarting);
        harness.Process("a").AutoStop = false;

        var shutdown = harness.Router.ShutdownAsync(TimeSpan.FromSeconds(30));
        await harness.Settle();

        Assert.Equal(503, (await forC.Refused()).StatusCode);
        Assert.Equal(503, (await harness.Request("a").Refused()).StatusCode);
        Assert.Equal(["start"], harness.Process("a").Calls); // still serving its stream
        Assert.Equal(ModelState.Stopped, harness.State("c")); // its start was cancelled
        Assert.False(shutdown.IsCompleted);

        await harness.Release(leaseA);
        Assert.Equal(["start", "stop:Shutdown"], harness.Process("a").Calls);
        Assert.False(shutdown.IsCompleted);
        harness.Process("a").CompleteStop();

        await Done(shutdown);
        Assert.All(harness.Router.Snapshot(), status => Assert.Equal(ModelState.ShutDown, status.State));
    }

    [Fact]
    public async Task Shutdown_DrainTimeout_StopsModelsWithRequestsStillInFlight()
    {
        await using var harness = new CoreHarness(Model("a"));
        _ = await harness.Serve("a");

        var shutdown = harness.Router.ShutdownAsync(TimeSpan.FromSeconds(10));
        await harness.Settle();
        Assert.Empty(harness.Process("a").Calls.Skip(1));

        harness.Time.Advance(TimeSpan.FromSeconds(10));
        await Done(shutdown);
        Assert.Equal(["start", "stop:Shutdown"], harness.Process("a").Calls);
    }

    [Fact]
    public async Task Shutdown_WhileStarting_CancelsTheStart_AndStopsItIfItCameUp()
    {
        await using var harness = new CoreHarness(Model("a"));
        var request = harness.Request("a");
        await harness.Settle();
        harness.Process("a").HonourCancellation = false;

        var shutdown = harness.Router.ShutdownAsync(TimeSpan.FromSeconds(10));
        await harness.Settle();
        Assert.Equal(503, (await request.Refused()).StatusCode);
        Assert.True(harness.Process("a").StartCancellation.IsCancellationRequested);

        harness.Process("a").CompleteStart();
        await Done(shutdown);
        Assert.Equal(["start", "stop:Shutdown"], harness.Process("a").Calls);
        Assert.Equal(ModelState.ShutDown, harness.State("a"));
    }

}
