using TinySwap.Router;
using static TinySwap.Tests.Router.RouterHarness;
using static TinySwap.Tests.Router.CoreHarness;
using TinySwap.Contracts;

namespace TinySwap.Tests.Router;

/// <summary>TTL unloads and sleep/wake.</summary>
public sealed class LifecycleTests
{
    [Fact]
    public async Task Ttl_IdleModel_IsUnloadedAfterItsTtl_NotBefore()
    {
        await using var harness = new CoreHarness(Model("a") with { Ttl = TimeSpan.FromSeconds(60) });
        (await harness.Serve("a")).Release();
        await harness.Settle();

        await harness.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(ModelState.Ready, harness.State("a"));

        await harness.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(ModelState.Stopped, harness.State("a"));
        Assert.Equal(["start", "stop:Ttl"], harness.Process("a").Calls);
    }

    [Fact]
    public async Task Ttl_UseRestartsTheIdleClock_AndABusyModelIsNeverUnloaded()
    {
        await using var harness = new CoreHarness(Model("a") with { Ttl = TimeSpan.FromSeconds(60) });
        (await harness.Serve("a")).Release();
        await harness.Settle();

        harness.Time.Advance(TimeSpan.FromSeconds(50));
        var lease = await harness.Serve("a");
        await harness.Advance(TimeSpan.FromSeconds(120));
        Assert.Equal(ModelState.Ready, harness.State("a"));

        await harness.Release(lease);
        await harness.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(ModelState.Ready, harness.State("a"));
        await harness.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(ModelState.Stopped, harness.State("a"));
    }

    [Fact]
    public async Task Ttl_ModelWithSleepHooks_IsPutToSleep()
    {
        await using var harness = new CoreHarness(Model("a") with { Ttl = TimeSpan.FromSeconds(5), Hooks = SleepHooks });
        (await harness.Serve("a")).Release();
        await harness.Settle();

        await harness.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(ModelState.Sleeping, harness.State("a"));
        Assert.Equal(["start", "sleep"], harness.Process("a").Calls);
    }

    [Fact]
    public async Task SleepWake_EvictionSleeps_TheNextRequestWakes_SameProcess()
    {
        await using var harness = new CoreHarness(Model("a") with { Hooks = SleepHooks }, Model("b"));
        (await harness.Serve("a")).Release();
        var processA = harness.Process("a");

        (await harness.Serve("b")).Release();
        Assert.Equal(ModelState.Sleeping, harness.State("a"));

        var again = harness.Request("a");
        await harness.Settle();
        Assert.True(processA.IsStarting);
        processA.CompleteStart();
        await again.Granted();

        Assert.Same(processA, harness.Process("a"));
        Assert.Equal(1, harness.Factory.CreatedCount("a"));
        Assert.Equal(["start", "sleep", "wake"], processA.Calls);
        Assert.Equal(["start", "stop:Swap"], harness.Process("b").Calls);
    }

    [Fact]
    public async Task SleepWake_FailedSleep_FallsBackToAStop()
    {
        await using var harness = new CoreHarness(Model("a") with { Hooks = SleepHooks }, Model("b"));
        (await harness.Serve("a")).Release();
        harness.Process("a").AutoStop = false;
        var forB = harness.Request("b");
        await harness.Settle();

        harness.Process("a").CompleteSleep(succeeded: false);
        await harness.Settle();
        Assert.True(harness.Process("a").IsStopping);
        Assert.Empty(harness.Process("b").Calls);
        harness.Process("a").CompleteStop();
        await harness.Settle();
        harness.Process("b").CompleteStart();

        await forB.Granted();
        Assert.Equal(["start", "sleep", "stop:Failure"], harness.Process("a").Calls);
        Assert.Equal(ModelState.Stopped, harness.State("a"));
    }

    [Fact]
    public async Task SleepWake_FailedWake_StopsTheProcess_AndAnswers502()
    {
        await using var harness = new CoreHarness(Model("a") with { Hooks = SleepHooks }, Model("b"));
        (await harness.Serve("a")).Release();
        (await harness.Serve("b")).Release();

        var request = harness.Request("a");
        await harness.Settle();
        harness.Process("a").FailStart("wake hook exited 7");

        Assert.Equal(502, (await request.Refused()).StatusCode);
        await harness.Settle();
        Assert.Equal(["start", "sleep", "wake", "stop:Failure"], harness.Process("a").Calls);
        Assert.Equal(ModelState.Failed, harness.State("a")); // a failed wake is a failed start: restart backoff
    }

    [Fact]
    public async Task SleepingModels_DoNotCountAgainstMaxRunning_UnlessConfigured()
    {
        var config = ConfigOf([Model("a") with { Hooks = SleepHooks }, Model("b"), Model("c")], null, c => c with { MaxRunning = 1 });

        await using (var harness = new CoreHarness(config))
        {
            (await harness.Serve("a")).Release();
            (await harness.Serve("b")).Release();
            (await harness.Serve("c")).Release();
            Assert.Equal(["start", "sleep"], harness.Process("a").Calls);
            Assert.Equal(ModelState.Sleeping, harness.State("a"));
        }

        await using (var harness = new CoreHarness(config, new RouterOptions { CountSleeping = true }))
        {
            (await harness.Serve("a")).Release();
            (await harness.Serve("b")).Release();
            (await harness.Serve("c")).Release();
            // The sleeper took b's place, so c's swap had to stop it for good.
            Assert.Equal(["start", "sleep", "stop:Swap"], harness.Process("a").Calls);
            Assert.Equal(ModelState.Stopped, harness.State("a"));
        }
    }
}
