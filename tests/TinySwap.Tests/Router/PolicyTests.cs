using System.Collections.Immutable;
using TinySwap.Router;
using static TinySwap.Tests.Router.RouterHarness;
using static TinySwap.Tests.Router.CoreHarness;
using TinySwap.Contracts;

namespace TinySwap.Tests.Router;

/// <summary>Policies driven through the core: the router evicts what the planner chose, and only that.</summary>
public sealed class PolicyTests
{
    [Fact]
    public async Task MaxRunning_ThirdModel_EvictsTheLeastRecentlyUsed()
    {
        var config = ConfigOf([Model("a"), Model("b"), Model("c")], null, c => c with { MaxRunning = 2 });
        await using var harness = new CoreHarness(config);
        (await harness.Serve("a")).Release();
        await harness.Settle();
        harness.Time.Advance(TimeSpan.FromSeconds(1));
        (await harness.Serve("b")).Release();
        await harness.Settle();
        harness.Time.Advance(TimeSpan.FromSeconds(1));
        (await harness.Serve("a")).Release(); // a is now the most recently used

        (await harness.Serve("c")).Release();

        Assert.Equal(ModelState.Ready, harness.State("a"));
        Assert.Equal(ModelState.Stopped, harness.State("b"));
        Assert.Equal(ModelState.Ready, harness.State("c"));
    }

    [Fact]
    public async Task Resources_NewModel_EvictsUntilItFits()
    {
        ImmutableDictionary<string, long> Needs(long vram) => ImmutableDictionary<string, long>.Empty.Add("vram_mb", vram);
        var config = ConfigOf(
            [Model("a") with { Resources = Needs(8000) }, Model("b") with { Resources = Needs(8000) }, Model("big") with { Resources = Needs(16000) }],
            null, c => c with { Resources = ImmutableDictionary<string, long>.Empty.Add("vram_mb", 24000) });
        await using var harness = new CoreHarness(config);
        (await harness.Serve("a")).Release();
        (await harness.Serve("b")).Release();
        Assert.Equal(ModelState.Ready, harness.State("a"));

        (await harness.Serve("big")).Release();

        Assert.Equal(ModelState.Stopped, harness.State("a"));
        Assert.Equal(ModelState.Ready, harness.State("b"));
    }

    [Fact]
    public async Task Groups_ModelsOfANonSwappingGroup_RunTogether()
    {
        var config = ConfigOf([Model("llm"), Model("embed")], [Group("pair", swap: false, members: ["llm", "embed"])]);
        await using var harness = new CoreHarness(config);

        (await harness.Serve("llm")).Release();
        (await harness.Serve("embed")).Release();

        Assert.Equal(ModelState.Ready, harness.State("llm"));
        Assert.Equal(ModelState.Ready, harness.State("embed"));
    }

    [Fact]
    public async Task CustomPlanner_IsUsed_WithoutTouchingTheCore()
    {
        var options = new RouterOptions { PlannerFactory = (_, _) => new MaxRunningPlanner(3) };
        await using var harness = new CoreHarness(ConfigOf([Model("a"), Model("b")]), options);

        (await harness.Serve("a")).Release();
        (await harness.Serve("b")).Release();

        Assert.Equal(ModelState.Ready, harness.State("a"));
    }

    [Fact]
    public async Task MinActive_ModelKeepsItsTurn_ThenYieldsToTheWaitingModel()
    {
        await using var harness = new CoreHarness(Model("a") with { MinActive = TimeSpan.FromSeconds(10) }, Model("b"));
        var a0 = await harness.Serve("a");
        var forB = harness.Request("b");
        await harness.Settle();

        // Within its turn, a still takes new work even though b waits.
        var a1 = harness.Request("a");
        await harness.Settle();
        (await a1.Granted()).Release();
        a0.Release();
        await harness.Advance(TimeSpan.FromSeconds(5));
        Assert.False(forB.IsAnswered);
        Assert.Equal(ModelState.Ready, harness.State("a"));

        await harness.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(ModelState.Stopped, harness.State("a"));
        harness.Process("b").CompleteStart();
        await forB.Granted();
    }

    [Fact]
    public async Task SwitchCost_IsRecordedPerPair_AndFeedsTheLoadingEstimate()
    {
        await using var harness = new CoreHarness(Model("a"), Model("b"));
        (await harness.Serve("a")).Release();

        var forB = harness.Request("b");
        await harness.Settle();
        harness.Time.Advance(TimeSpan.FromSeconds(3));
        harness.Process("b").CompleteStart();
        await forB.Granted();
        await harness.Settle();

        var cost = Assert.Single(harness.Router.SwitchCosts, c => c.To == "b");
        Assert.Equal("a", cost.From);
        Assert.Equal(TimeSpan.FromSeconds(3), cost.Average);
        Assert.Equal(1, cost.Samples);
    }
}
