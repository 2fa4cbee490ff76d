using TinySwap.Config;
using TinySwap.Contracts;
using TinySwap.Router;
using static TinySwap.Tests.Router.RouterHarness;

namespace TinySwap.Tests.Matrix;

public sealed class MatrixPlannerTests
{
    private sealed record Planned(ModelConfig Config, ModelState State = ModelState.Ready, int InFlight = 0, long LastUsed = 0) : IPlannedModel;

    private static readonly MatrixPlanner Planner = new(MatrixSolverTests.Solver(
        new Dictionary<string, int> { ["tts"] = 50 },
        ("standard", "(gemma | qwen) & tts"),
        ("full", "llama-70B")));

    private static IPlannedModel[] Evictions(Planned target, params Planned[] running)
    {
        var evict = new List<IPlannedModel>();
        Planner.PlanEvictions(target, running, evict);
        return [.. evict];
    }

    [Fact]
    public void PlanEvictions_EvictsTheRunningModelsTheSolverLeavesOut_InRunningOrder()
    {
        var qwen = new Planned(Model("qwen"));
        var tts = new Planned(Model("tts"));
        var outside = new Planned(Model("outside"));

        Assert.Equal([qwen, outside], Evictions(new Planned(Model("gemma"), ModelState.Stopped), qwen, tts, outside));
        Assert.Equal([qwen, tts], Evictions(new Planned(Model("llama-70B"), ModelState.Stopped), qwen, tts));
    }

    [Fact]
    public void PlanEvictions_ModelThatFits_EvictsNothing() =>
        Assert.Empty(Evictions(new Planned(Model("gemma"), ModelState.Stopped), new Planned(Model("tts"))));

    [Theory]
    [InlineData(nameof(ModelState.Ready))]
    [InlineData(nameof(ModelState.Starting))]
    public void PlanEvictions_TargetUpOrComingUp_EvictsNothing(string state) =>
        Assert.Empty(Evictions(new Planned(Model("llama-70B"), Enum.Parse<ModelState>(state)), new Planned(Model("tts"))));

    [Fact]
    public void PlanEvictions_SleepingTarget_IsPlannedLikeAStart() =>
        Assert.Single(Evictions(new Planned(Model("llama-70B"), ModelState.Sleeping), new Planned(Model("tts"))));
}
