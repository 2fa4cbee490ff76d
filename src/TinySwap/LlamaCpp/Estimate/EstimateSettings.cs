namespace TinySwap.LlamaCpp.Estimate;

/// <summary>The launch settings that change how much memory llama-server takes.</summary>
internal sealed record EstimateSettings
{
    /// <summary>`-c`: total context across all slots; 0 means the model's trained context length.</summary>
    public long ContextSize { get; init; } = 4096;

    /// <summary>`-ngl`: layers offloaded to the GPU; null or more than the model has means all of them (and the output layer).</summary>
    public int? GpuLayers { get; init; }

    /// <summary>`-np`: slots; they split <see cref="ContextSize"/> between them unless <see cref="KvUnified"/>.</summary>
    public int Parallel { get; init; } = 1;

    /// <summary>`--kv-unified`: one KV buffer shared by every slot.</summary>
    public bool KvUnified { get; init; }

    public string CacheTypeK { get; init; } = "f16";
    public string CacheTypeV { get; init; } = "f16";
    public FlashAttention FlashAttention { get; init; } = FlashAttention.Auto;

    /// <summary>`-ub`: physical batch size; llama.cpp's default is 512.</summary>
    public int MicroBatch { get; init; } = 512;
}
