namespace TinySwap.LlamaCpp.Estimate;

/// <summary>Bytes a llama-server needs, by part and by side (GPU = offloaded, CPU = host); on unified memory both count.</summary>
internal sealed record MemoryEstimate
{
    public required long ContextSize { get; init; }
    public required long WeightsGpu { get; init; }
    public required long WeightsCpu { get; init; }
    public required long KvCacheGpu { get; init; }
    public required long KvCacheCpu { get; init; }
    public required long ComputeGpu { get; init; }
    public required long ComputeCpu { get; init; }

    public long Weights => WeightsGpu + WeightsCpu;
    public long KvCache => KvCacheGpu + KvCacheCpu;
    public long Compute => ComputeGpu + ComputeCpu;
    public long Gpu => WeightsGpu + KvCacheGpu + ComputeGpu;
    public long Cpu => WeightsCpu + KvCacheCpu + ComputeCpu;
    public long Total => Gpu + Cpu;

    /// <summary>Whole MiB, rounded up: what a `resources` budget counts in.</summary>
    public static long ToMiB(long bytes) => (bytes + (1 << 20) - 1) >> 20;
}
