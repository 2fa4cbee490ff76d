namespace TinySwap.LlamaCpp.Memory;

/// <summary>
/// What `resources: auto` found. Without an NVIDIA GPU (a Pi, a Jetson, a CPU box) one memory holds everything:
/// <see cref="GpuBytes"/> is null and a model needs its whole estimate from <see cref="RamBytes"/>. With one, offloaded
/// parts count against the GPUs' memory and the rest against RAM.
/// </summary>
internal sealed record DetectedMemory(long RamBytes, long? GpuBytes, int GpuCount)
{
    public bool IsUnified => GpuBytes is null;

    public static DetectedMemory? Detect(ISystemMemorySource source)
    {
        if (source.ReadMemInfo() is not { } meminfo || MemInfoParser.MemTotalBytes(meminfo) is not { } ram)
            return null;
        // Several GPUs are summed: llama.cpp splits the offloaded layers across them (-sm layer, its default).
        return source.QueryNvidiaSmi() is { } smi && NvidiaSmiParser.GpuMemoryMiB(smi) is { } gpus
            ? new DetectedMemory(ram, gpus.Sum() << 20, gpus.Count)
            : new DetectedMemory(ram, null, 0);
    }
}
