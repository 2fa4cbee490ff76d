using System.Collections.ObjectModel;
using System.Globalization;
using TinySwap.LlamaCpp.Estimate;

namespace TinySwap.LlamaCpp.Memory;

/// <summary>One model as `resources: auto` sees it: what it declared, else what its launch is estimated to need.</summary>
internal sealed record ModelMemory(string Id, IReadOnlyDictionary<string, long> Declared, MemoryEstimate? Estimate);

/// <summary>The budgets and needs `resources: auto` fills in, and the models that can never fit (with the numbers).</summary>
internal sealed record AutoBudgetPlan(
    IReadOnlyDictionary<string, long> Budgets,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>> Needs,
    IReadOnlyList<(string ModelId, string Message)> Errors,
    string Description);

/// <summary>
/// `resources: auto`: the budget is the detected memory minus a reserve for the system. One memory (no NVIDIA GPU: a Pi,
/// a Jetson, a CPU box) is one budget, `memory_mb`, and a model needs its whole estimate; with NVIDIA GPUs the offloaded
/// part counts against `vram_mb` and the rest against `ram_mb`. A model that declares `resources:` keeps its own numbers.
/// </summary>
internal static class AutoBudget
{
    public const string Memory = "memory_mb";
    public const string Vram = "vram_mb";
    public const string Ram = "ram_mb";

    /// <summary>RAM left to the system and everything else: 10% of it, at least 1 GiB.</summary>
    public static long RamReserveMiB(long ramMiB) => Math.Max(1024, ramMiB / 10);

    /// <summary>VRAM left to each GPU's driver context (a CUDA context alone takes a few hundred MiB).</summary>
    public const long VramReservePerGpuMiB = 512;

    public static AutoBudgetPlan Plan(DetectedMemory memory, IEnumerable<ModelMemory> models, long? reserveMiB = null)
    {
        var ramMiB = memory.RamBytes >> 20;
        var ramReserve = reserveMiB ?? RamReserveMiB(ramMiB);
        var budgets = new Dictionary<string, long>(StringComparer.Ordinal);
        string description;
        if (memory.GpuBytes is { } gpuBytes)
        {
            var vramMiB = gpuBytes >> 20;
            var vramReserve = VramReservePerGpuMiB * memory.GpuCount;
            budgets[Vram] = Math.Max(0, vramMiB - vramReserve);
            budgets[Ram] = Math.Max(0, ramMiB - ramReserve);
            description = $"{Vram} {Mib(budgets[Vram])} ({memory.GpuCount} GPU(s), {Mib(vramMiB)} minus {Mib(vramReserve)} reserved), "
                + $"{Ram} {Mib(budgets[Ram])} (MemTotal {Mib(ramMiB)} minus {Mib(ramReserve)} reserved)";
        }
        else
        {
            budgets[Memory] = Math.Max(0, ramMiB - ramReserve);
            description = $"{Memory} {Mib(budgets[Memory])} (unified: MemTotal {Mib(ramMiB)} minus {Mib(ramReserve)} reserved)";
        }

        var needs = new Dictionary<string, IReadOnlyDictionary<string, long>>(StringComparer.Ordinal);
        var errors = new List<(string, string)>();
        foreach (var model in models)
        {
            var need = model.Declared.Count > 0 ? model.Declared : NeedOf(model.Estimate, memory.IsUnified);
            needs[model.Id] = need;
            foreach (var (name, amount) in need)
            {
                if (budgets.TryGetValue(name, out var budget) && amount > budget)
                    errors.Add((model.Id, NeverFits(model, name, amount, budget, description)));
            }
        }
        return new AutoBudgetPlan(new ReadOnlyDictionary<string, long>(budgets), new ReadOnlyDictionary<string, IReadOnlyDictionary<string, long>>(needs), errors, description);
    }

    private static IReadOnlyDictionary<string, long> NeedOf(MemoryEstimate? estimate, bool unified)
    {
        if (estimate is null)
            return ReadOnlyDictionary<string, long>.Empty;
        var need = unified
            ? new Dictionary<string, long> { [Memory] = MemoryEstimate.ToMiB(estimate.Total) }
            : new Dictionary<string, long> { [Vram] = MemoryEstimate.ToMiB(estimate.Gpu), [Ram] = MemoryEstimate.ToMiB(estimate.Cpu) };
        return new ReadOnlyDictionary<string, long>(need);
    }

    private static string NeverFits(ModelMemory model, string name, long amount, long budget, string description)
    {
        var why = model.Declared.Count > 0 || model.Estimate is not { } e
            ? "as declared in its resources"
            : $"estimated: weights {Mib(MemoryEstimate.ToMiB(e.Weights))} + KV cache {Mib(MemoryEstimate.ToMiB(e.KvCache))} + compute {Mib(MemoryEstimate.ToMiB(e.Compute))} at ctx {e.ContextSize}";
        return $"needs {name} {Mib(amount)} ({why}) but resources: auto found only {description}; it can never be loaded (lower ctx or gpuLayers, quantize the KV cache, or use a smaller file)";
    }

    private static string Mib(long mib) => mib.ToString("N0", CultureInfo.InvariantCulture) + " MiB";
}
