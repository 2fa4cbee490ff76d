using TinySwap.Contracts;
using TinySwap.Router;
using static TinySwap.Tests.Router.RouterHarness;

namespace TinySwap.Tests.Router;

/// <summary>The lock-free fast path: a ready model's requests bypass the loop, and nothing evicts a model they hold.</summary>
public sealed class AdmissionGateTests
{
    [Fact]
    public async Task ReadyModel_RequestsNeverPostToTheLoop()
    {
        var inputs = 0;
        var options = new RouterOptions
        {
            OnMessageProcessed = message =>
            {
                if (message.Kind == RouterMessageKind.Input)
                    Interlocked.Increment(ref inputs);
            },
        };
        await using var harness = new RouterHarness(ConfigOf([Model("a")]), options);
        await harness.Release(await harness.Serve("a"));
        var before = Volatile.Read(ref inputs);

        for (var i = 0; i < 100; i++)
            (await harness.Request("a").Granted()).Release();
        await harness.Settle();

        Assert.Equal(before, Volatile.Read(ref inputs));
    }

    [Fact]
    public async Task GateLeases_CountInFlight_AndASwapWaitsForThem()
    {
        var config = ConfigOf([Model("a"), Model("b")], null, c => c with { MaxRunning = 1 });
        await using var harness = new RouterHarness(config);
        await harness.Release(await harness.Serve("a"));
        var first = await harness.Request("a").Granted();  // through the gate
        var second = await harness.Request("a").Granted();
        Assert.Equal(2, harness.Status("a").InFlight);

        var forB = harness.Request("b");
        await harness.Settle();
        Assert.Equal(["start"], harness.Process("a").Calls); // busy: not evicted
        var late = harness.Request("a");                   // the gate is closed: it waits behind b
        await harness.Settle();
        Assert.False(late.IsAnswered);

        await harness.Release(first);
        Assert.Equal(["start"], harness.Process("a").Calls);
        await harness.Release(second);
        Assert.Equal(["start", "stop:Swap"], harness.Process("a").Calls);
        harness.Process("b").CompleteStart();
        Assert.Equal(0, harness.Status("a").InFlight);

        // b's gate opened, but a queued request wants b gone: the gate closes, drains with the last lease, and a returns.
        await harness.Release(await forB.Granted());
        Assert.Equal(["start", "stop:Swap"], harness.Process("b").Calls);
        Assert.Equal(["start", "stop:Swap", "start"], harness.Process("a").Calls);
        harness.Process("a").CompleteStart();
        await harness.Release(await late.Granted());
    }

    [Fact]
    public async Task Ttl_ModelBusyThroughItsGate_IsNotUnloaded_ThenIsOnceIdle()
    {
        await using var harness = new RouterHarness(Model("a") with { Ttl = TimeSpan.FromSeconds(60) });
        await harness.Release(await harness.Serve("a"));
        var lease = await harness.Request("a").Granted(); // through the gate: the loop does not hear of it

        await harness.Advance(TimeSpan.FromSeconds(180));
        Assert.Equal(ModelState.Ready, harness.State("a"));

        await harness.Release(lease);
        await harness.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(ModelState.Ready, harness.State("a"));
        await harness.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(ModelState.Stopped, harness.State("a"));
        Assert.Equal(["start", "stop:Ttl"], harness.Process("a").Calls);
    }

    [Fact]
    public async Task Ttl_RequestThroughTheGate_RestartsTheIdleClock()
    {
        await using var harness = new RouterHarness(Model("a") with { Ttl = TimeSpan.FromSeconds(60) });
        await harness.Release(await harness.Serve("a"));

        await harness.Advance(TimeSpan.FromSeconds(50));
        await harness.Release(await harness.Request("a").Granted());
        await harness.Advance(TimeSpan.FromSeconds(50)); // 100 s after start, 50 s after the last use
        Assert.Equal(ModelState.Ready, harness.State("a"));

        await harness.Advance(TimeSpan.FromSeconds(10));
        await harness.Advance(TimeSpan.Zero); // the re-armed timer's own pass
        Assert.Equal(ModelState.Stopped, harness.State("a"));
    }

    [Fact]
    public async Task Shutdown_WaitsForGateLeases()
    {
        await using var harness = new RouterHarness(Model("a"));
        await harness.Release(await harness.Serve("a"));
        var lease = await harness.Request("a").Granted();

        var shutdown = harness.Router.ShutdownAsync(TimeSpan.FromSeconds(30));
        await harness.Settle();
        Assert.Equal(503, (await harness.Request("a").Refused()).StatusCode);
        Assert.Equal(["start"], harness.Process("a").Calls);

        await harness.Release(lease);
        await shutdown.WaitAsync(Patience);
        Assert.Equal(["start", "stop:Shutdown"], harness.Process("a").Calls);
    }
}
