using TinySwap.Config;
using TinySwap.Config.Matrix;
using TinySwap.Contracts;
using TinySwap.Router;
using TinySwap.Tests.Router;
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

/// <summary>The matrix driven through the router core: it evicts what the solver chose, and only that.</summary>
public sealed class MatrixRouterTests
{
    [Fact]
    public async Task Matrix_KeepsTheCostlyModel_EvictsTheOtherAlternative()
    {
        var errors = new List<MatrixError>();
        var program = MatrixCompiler.Compile(
            [new("chat_tts", "(gemma | qwen) & tts"), new("big", "llama")], name => name, [], errors)!;
        var config = ConfigOf([Model("gemma"), Model("qwen"), Model("tts"), Model("llama")], null,
            c => c with { Matrix = new(program, new Dictionary<string, int> { ["tts"] = 50 }) });
        await using var harness = new CoreHarness(config);
        (await harness.Serve("gemma")).Release();
        (await harness.Serve("tts")).Release();

        (await harness.Serve("qwen")).Release();

        Assert.Equal(ModelState.Stopped, harness.State("gemma"));
        Assert.Equal(ModelState.Ready, harness.State("tts"));
        Assert.Equal(ModelState.Ready, harness.State("qwen"));

        (await harness.Serve("llama")).Release();

        Assert.Equal([ModelState.Stopped, ModelState.Stopped, ModelState.Ready], new[] { harness.State("qwen"), harness.State("tts"), harness.State("llama") });
    }
}
