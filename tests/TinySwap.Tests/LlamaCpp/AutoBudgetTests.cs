using System.Collections.ObjectModel;
using TinySwap.LlamaCpp.Estimate;
using TinySwap.LlamaCpp.Memory;

namespace TinySwap.Tests.LlamaCpp;

public sealed class AutoBudgetTests
{
    private const long MiB = 1 << 20;
    private static readonly IReadOnlyDictionary<string, long> None = ReadOnlyDictionary<string, long>.Empty;

    private static MemoryEstimate Estimate(long gpuMiB, long cpuMiB) => new()
    {
        ContextSize = 4096,
        WeightsGpu = gpuMiB * MiB,
        WeightsCpu = cpuMiB * MiB,
        KvCacheGpu = 0,
        KvCacheCpu = 0,
        ComputeGpu = 0,
        ComputeCpu = 0,
    };

    [Fact]
    public void Plan_UnifiedMemory_OneBudgetAndTheWholeEstimate()
    {
        var plan = AutoBudget.Plan(new DetectedMemory(8192 * MiB, null, 0), [new ModelMemory("a", None, Estimate(3000, 500))]);

        Assert.Equal(8192 - 1024, plan.Budgets["memory_mb"]);
        Assert.Equal(3500, plan.Needs["a"]["memory_mb"]);
        Assert.Empty(plan.Errors);
    }

    [Fact]
    public void Plan_NvidiaGpu_SplitsNeedsIntoVramAndRam()
    {
        var plan = AutoBudget.Plan(new DetectedMemory(65536 * MiB, 24576 * MiB, 1), [new ModelMemory("a", None, Estimate(20000, 700))]);

        Assert.Equal(24576 - 512, plan.Budgets["vram_mb"]);
        Assert.Equal(65536 - 6553, plan.Budgets["ram_mb"]);
        Assert.Equal(20000, plan.Needs["a"]["vram_mb"]);
        Assert.Equal(700, plan.Needs["a"]["ram_mb"]);
    }

    [Fact]
    public void Plan_DeclaredResources_WinOverTheEstimate()
    {
        var declared = new Dictionary<string, long> { ["memory_mb"] = 1234 };

        var plan = AutoBudget.Plan(new DetectedMemory(8192 * MiB, null, 0), [new ModelMemory("a", declared, Estimate(3000, 0))]);

        Assert.Equal(1234, plan.Needs["a"]["memory_mb"]);
    }

    [Fact]
    public void Plan_ModelThatCanNeverFit_IsAnErrorWithTheNumbers()
    {
        var plan = AutoBudget.Plan(new DetectedMemory(8192 * MiB, null, 0), [new ModelMemory("big", None, Estimate(9000, 0))]);

        var (model, message) = Assert.Single(plan.Errors);
        Assert.Equal("big", model);
        Assert.Equal(
            "needs memory_mb 9,000 MiB (estimated: weights 9,000 MiB + KV cache 0 MiB + compute 0 MiB at ctx 4096) but resources: auto "
            + "found only memory_mb 7,168 MiB (unified: MemTotal 8,192 MiB minus 1,024 MiB reserved); it can never be loaded "
            + "(lower ctx or gpuLayers, quantize the KV cache, or use a smaller file)",
            message);
    }

    [Fact]
    public void Plan_ModelWithoutEstimateOrDeclaration_NeedsNothing()
    {
        var plan = AutoBudget.Plan(new DetectedMemory(8192 * MiB, null, 0), [new ModelMemory("cmd-model", None, null)]);

        Assert.Empty(plan.Needs["cmd-model"]);
    }

    [Fact]
    public void Plan_ExplicitReserve_ReplacesTheDefault()
    {
        var plan = AutoBudget.Plan(new DetectedMemory(8192 * MiB, null, 0), [], reserveMiB: 256);

        Assert.Equal(8192 - 256, plan.Budgets["memory_mb"]);
    }
}
