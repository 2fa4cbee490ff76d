namespace TinySwap.LlamaCpp.Memory;

/// <summary>The I/O behind `resources: auto`: raw text from the system, null when a source is absent.</summary>
internal interface ISystemMemorySource
{
    /// <summary>Contents of /proc/meminfo.</summary>
    string? ReadMemInfo();

    /// <summary>stdout of `nvidia-smi --query-gpu=memory.total --format=csv,noheader,nounits`; null without nvidia-smi or when it failed.</summary>
    string? QueryNvidiaSmi();
}
