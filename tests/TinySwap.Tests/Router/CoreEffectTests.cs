using TinySwap.Contracts;
using TinySwap.Router;
using TinySwap.Supervisor;
using static TinySwap.Tests.Router.CoreHarness;
using static TinySwap.Tests.Router.RouterHarness;

namespace TinySwap.Tests.Router;

/// <summary>The core's inputs and effects seen directly: what it asks the shell to do, and when.</summary>
public sealed class CoreEffectTests
{
    [Fact]
    public async Task Acquire_ReadyModel_IsOneGrantAndNothingElse()
    {
        await using var harness = new CoreHarness(Model("a"));
        (await harness.Serve("a")).Release();
        var mark = harness.Effects.Count;

        var lease = await harness.Request("a").Granted();

        var effect = Assert.Single(harness.EffectsSince(mark));
        Assert.Equal(RouterEffectKind.Grant, effect.Kind);
        Assert.Equal("a", effect.Slot!.Config.Id);
        Assert.Equal(1, harness.Status("a").InFlight);
        lease.Release();
        Assert.Equal(0, harness.Status("a").InFlight);
    }

    [Fact]
    public async Task ColdRequest_StartsTheProcess_AndIsGrantedOnlyWhenTheStartReportsReady()
    {
        await using var harness = new CoreHarness(Model("a"));
        var mark = harness.Effects.Count;

        var request = harness.Request("a");

        // The queue timeout's timer for the new waiter, then the start; no grant yet.
        Assert.Equal([RouterEffectKind.SetTimer, RouterEffectKind.StartProcess],
            harness.EffectsSince(mark).Where(e => e.Kind != RouterEffectKind.NotifyLoading).Select(e => e.Kind));
        Assert.False(request.IsAnswered);
        mark = harness.Effects.Count;
        harness.Process("a").CompleteStart();
        Assert.Equal([RouterEffectKind.ReadyChanged, RouterEffectKind.Grant], harness.EffectsSince(mark).Select(e => e.Kind));
        await request.Granted();
    }

    [Fact]
    public async Task FailedStart_RefusesItsWaiter502_ThenRequestsDuringTheBackoffStartNothing()
    {
        await using var harness = new CoreHarness(Model("a"));
        var first = harness.Request("a");
        harness.Process("a").FailStart("exited during start (exit code 1); last output: boom");
        Assert.Equal(502, (await first.Refused()).StatusCode);
        var mark = harness.Effects.Count;

        harness.Time.Advance(TimeSpan.FromMilliseconds(400));
        var during = await harness.Request("a").Refused();

        var effect = Assert.Single(harness.EffectsSince(mark));
        Assert.Equal(RouterEffectKind.Refuse, effect.Kind);
        Assert.Equal(503, during.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), during.RetryAfter); // 0.6 s left, rounded up to whole seconds
        Assert.Contains("last output: boom", during.Message);
        Assert.Equal(1, harness.Process("a").Calls.Count(call => call == "start"));
    }

    [Fact]
    public async Task Ttl_IsATimerSetFromTheInputsTimestamp()
    {
        await using var harness = new CoreHarness(Model("a") with { Ttl = TimeSpan.FromSeconds(30) });
        var lease = await harness.Serve("a");
        harness.Time.Advance(TimeSpan.FromSeconds(7));
        var mark = harness.Effects.Count;

        lease.Release();

        var timer = Assert.Single(harness.EffectsSince(mark));
        Assert.Equal(RouterEffectKind.SetTtlTimer, timer.Kind);
        Assert.Equal(harness.Time.GetTimestamp() + TimeSpan.FromSeconds(30).Ticks, timer.At); // the fake clock counts ticks
    }

    [Fact]
    public async Task Unload_CompletesOnlyAfterTheStopHasReportedBack()
    {
        await using var harness = new CoreHarness(Model("a"));
        (await harness.Serve("a")).Release();
        harness.Process("a").AutoStop = false;

        var unload = harness.Router.UnloadAsync("a");

        var stop = harness.Effects.Last(e => e.Kind == RouterEffectKind.StopProcess);
        Assert.Equal(StopReason.Unload, stop.Reason);
        Assert.False(unload.IsCompleted);
        harness.Process("a").CompleteStop();
        Assert.True(await Done(unload));
        Assert.Equal(ModelState.Stopped, harness.State("a"));
    }

    [Fact]
    public async Task OutcomeOfAReplacedProcess_IsIgnored()
    {
        await using var harness = new CoreHarness(Model("a", "v1"));
        var request = harness.Request("a");
        var old = harness.Process("a");
        var staleSlot = harness.Effects.First(e => e.Kind == RouterEffectKind.StartProcess).Slot!;
        var mark = harness.Effects.Count;

        // A fault from generation 0 (no process ever had it) changes nothing.
        harness.Feed(RouterInput.Faulted(0, staleSlot, generation: 0, new ModelFault("a", "ghost", 1)));

        Assert.Empty(harness.EffectsSince(mark));
        Assert.Equal(ModelState.Starting, harness.State("a"));
        old.CompleteStart();
        await request.Granted();
    }
}
