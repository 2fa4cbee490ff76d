using System.Collections.Immutable;
using TinySwap.Config;
using TinySwap.Router;
using static TinySwap.Tests.Router.RouterHarness;
using TinySwap.Contracts;

namespace TinySwap.Tests.Router;

/// <summary>Each policy's eviction choices, as pure functions of the running set.</summary>
public sealed class PlannerTests
{
    private sealed record Planned(ModelConfig Config, ModelState State = ModelState.Ready, int InFlight = 0, long LastUsed = 0) : IPlannedModel;

    private static Planned Up(string id, long lastUsed = 0, int inFlight = 0, ModelState state = ModelState.Ready, params (string Name, long Amount)[] needs) =>
        new(Model(id) with { Resources = needs.ToImmutableDictionary(need => need.Name, need => need.Amount) }, state, inFlight, lastUsed);

    private static string[] Evictions(ISwapPlanner planner, Planned target, params Planned[] running)
    {
        var evict = new List<IPlannedModel>();
        planner.PlanEvictions(target, running, evict);
        return [.. evict.Select(model => model.Config.Id)];
    }

    [Fact]
    public void Groups_UngroupedModels_FormAnExclusiveSwappingDefaultGroup()
    {
        var planner = new GroupPlanner(ConfigOf([Model("a"), Model("b"), Model("c")]));

        Assert.Equal(["a", "b"], Evictions(planner, Up("c"), Up("a"), Up("b")));
    }

    [Fact]
    public void Groups_SwapOff_MembersRunTogether_SwapOn_SiblingsGo()
    {
        var config = ConfigOf([Model("a"), Model("b"), Model("x"), Model("y")],
            [Group("together", swap: false, exclusive: false, members: ["a", "b"]), Group("alone", swap: true, exclusive: false, members: ["x", "y"])]);
        var planner = new GroupPlanner(config);

        Assert.Empty(Evictions(planner, Up("b"), Up("a")));
        Assert.Equal(["x"], Evictions(planner, Up("y"), Up("x"), Up("a")));
    }

    [Fact]
    public void Groups_Exclusive_StopsOtherGroups_ButNotPersistentOnes()
    {
        var config = ConfigOf([Model("big"), Model("a"), Model("embed")],
        [
            Group("big", exclusive: true, members: ["big"]),
            Group("small", swap: true, exclusive: false, members: ["a"]),
            Group("always", swap: false, exclusive: false, persistent: true, members: ["embed"]),
        ]);
        var planner = new GroupPlanner(config);

        Assert.Equal(["a"], Evictions(planner, Up("big"), Up("a"), Up("embed")));
        // Loading from a non-exclusive group leaves other groups alone (llama-swap's behaviour).
        Assert.Empty(Evictions(planner, Up("a"), Up("big"), Up("embed")));
    }

    [Fact]
    public void Groups_ExplicitDefaultGroup_GovernsUngroupedModels()
    {
        var config = ConfigOf([Model("a"), Model("b"), Model("g")],
            [Group(GroupPlanner.DefaultGroupId, swap: false, exclusive: false), Group("g", members: ["g"])]);
        var planner = new GroupPlanner(config);

        Assert.Empty(Evictions(planner, Up("b"), Up("a")));
        Assert.Equal(["a"], Evictions(planner, Up("g"), Up("a")));
    }

    [Fact]
    public void MaxRunning_EvictsLeastRecentlyUsedIdle_BeforeBusyOrStarting()
    {
        var planner = new MaxRunningPlanner(2);

        Assert.Empty(Evictions(planner, Up("c"), Up("a")));
        Assert.Equal(["b"], Evictions(new MaxRunningPlanner(3), Up("d"),
            Up("a", lastUsed: 5, inFlight: 1), Up("b", lastUsed: 9), Up("c", lastUsed: 1, state: ModelState.Starting)));
        Assert.Equal(["b", "a"], Evictions(new MaxRunningPlanner(2), Up("d"),
            Up("a", lastUsed: 5, inFlight: 1), Up("b", lastUsed: 9), Up("c", lastUsed: 1, state: ModelState.Starting)));
        Assert.Equal(["old"], Evictions(planner, Up("new"), Up("recent", lastUsed: 9), Up("old", lastUsed: 2)));
        // A model already stopping frees its place at no extra cost.
        Assert.Equal(["leaving"], Evictions(planner, Up("new"), Up("idle", lastUsed: 1), Up("leaving", lastUsed: 9, state: ModelState.Stopping)));
    }

    [Fact]
    public void MaxRunning_TargetAlreadyUp_EvictsOnlyTheExcess()
    {
        var planner = new MaxRunningPlanner(1);

        Assert.Equal(["a"], Evictions(planner, Up("b"), Up("a")));
        Assert.Equal(["a", "b"], Evictions(planner, Up("c"), Up("b", lastUsed: 2), Up("a", lastUsed: 1)));
    }

    [Fact]
    public void Resources_EvictsLruIdleUntilTheTargetFits_SkippingModelsThatFreeNothingNeeded()
    {
        var planner = new ResourcePlanner(ImmutableDictionary<string, long>.Empty.Add("vram_mb", 24000).Add("ram_mb", 32000));
        var target = Up("t", needs: ("vram_mb", 16000));

        var evicted = Evictions(planner, target,
            Up("cpu-only", lastUsed: 0, needs: ("ram_mb", 8000)),
            Up("old", lastUsed: 1, needs: ("vram_mb", 8000)),
            Up("mid", lastUsed: 2, needs: ("vram_mb", 8000)),
            Up("new", lastUsed: 3, needs: ("vram_mb", 4000)));

        // 20000 in use + 16000 > 24000: freeing "old" leaves 28000, freeing "mid" too leaves 20000, which fits.
        Assert.Equal(["old", "mid"], evicted);
    }

    [Fact]
    public void Resources_TargetFits_NothingEvicted()
    {
        var planner = new ResourcePlanner(ImmutableDictionary<string, long>.Empty.Add("vram_mb", 24000));

        Assert.Empty(Evictions(planner, Up("t", needs: ("vram_mb", 8000)), Up("a", needs: ("vram_mb", 16000))));
        Assert.Empty(Evictions(planner, Up("t", needs: ("gpu_slots", 1)), Up("a", needs: ("vram_mb", 24000))));
    }

    [Fact]
    public void Resources_BusyModelsComeAfterIdleOnes()
    {
        var planner = new ResourcePlanner(ImmutableDictionary<string, long>.Empty.Add("vram_mb", 16000));

        var evicted = Evictions(planner, Up("t", needs: ("vram_mb", 8000)),
            Up("busy", lastUsed: 0, inFlight: 2, needs: ("vram_mb", 8000)),
            Up("idle", lastUsed: 5, needs: ("vram_mb", 8000)));

        Assert.Equal(["idle"], evicted);
    }

    [Fact]
    public void Choice_MaxRunningOverResourcesOverGroups_BothCapacityPoliciesCombine()
    {
        var options = new RouterOptions();
        var budgets = ImmutableDictionary<string, long>.Empty.Add("vram_mb", 10);

        Assert.IsType<GroupPlanner>(SwapPlanners.FromConfig(ConfigOf([Model("a")]), options));
        Assert.IsType<MaxRunningPlanner>(SwapPlanners.FromConfig(ConfigOf([Model("a")], null, c => c with { MaxRunning = 2 }), options));
        Assert.IsType<ResourcePlanner>(SwapPlanners.FromConfig(ConfigOf([Model("a")], null, c => c with { Resources = budgets }), options));
        var both = SwapPlanners.FromConfig(ConfigOf([Model("a")], null, c => c with { MaxRunning = 3, Resources = budgets }), options);
        Assert.IsType<CombinedPlanner>(both);
    }

    [Fact]
    public void Combined_EvictsWhatEitherPolicyRequires_WithoutDoubleCounting()
    {
        var planner = new CombinedPlanner(new MaxRunningPlanner(2),
            new ResourcePlanner(ImmutableDictionary<string, long>.Empty.Add("vram_mb", 10)));

        var evicted = Evictions(planner, Up("t", needs: ("vram_mb", 5)),
            Up("a", lastUsed: 1, needs: ("vram_mb", 5)),
            Up("b", lastUsed: 2, needs: ("vram_mb", 5)));

        // maxRunning drops the LRU "a"; then 5 + 5 fits the budget, so "b" stays.
        Assert.Equal(["a"], evicted);
    }
}
