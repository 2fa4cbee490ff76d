using System.Collections.Immutable;
using TinySwap.LlamaCpp.Estimate;

namespace TinySwap.LlamaCpp.Launch;

/// <summary>
/// What a model's llama-server should do (the `llamacpp:` key), as intent rather than a command line; null means
/// "llama-server's own default". <see cref="LlamaServerArgv"/> turns it into argv.
/// </summary>
internal sealed record LlamaServerLaunch
{
    /// <summary>Path of the .gguf file (`-m`).</summary>
    public required string Model { get; init; }

    /// <summary>`-c`: total context over all slots; 0 = the model's trained length.</summary>
    public long? ContextSize { get; init; }

    /// <summary>`-ngl`: layers to offload to the GPU.</summary>
    public int? GpuLayers { get; init; }

    /// <summary>`--jinja` / `--no-jinja`: the model's own chat template.</summary>
    public bool? Jinja { get; init; }

    /// <summary>`--reasoning-format`: none, deepseek, deepseek-legacy or auto.</summary>
    public string? ReasoningFormat { get; init; }

    /// <summary>`-np`: slots serving requests in parallel (they share <see cref="ContextSize"/>).</summary>
    public int? Parallel { get; init; }

    /// <summary>`--kv-unified` / `--no-kv-unified`: one KV buffer for all slots.</summary>
    public bool? KvUnified { get; init; }

    /// <summary>`-fa on|off|auto`.</summary>
    public FlashAttention? FlashAttention { get; init; }

    /// <summary>`-ctk` / `-ctv`: f16, q8_0, q4_0… (a quantized V cache needs flash attention).</summary>
    public string? CacheTypeK { get; init; }
    public string? CacheTypeV { get; init; }

    /// <summary>`-ub`: physical batch size.</summary>
    public int? MicroBatch { get; init; }

    /// <summary>`--mmproj`: the multimodal projector of a vision or audio model.</summary>
    public string? Mmproj { get; init; }

    public Sampling Sampling { get; init; } = Sampling.None;

    /// <summary>Flags without a typed key, passed after the typed ones.</summary>
    public ImmutableArray<string> ExtraArgs { get; init; } = [];

    /// <summary>The settings the memory estimate depends on, with llama-server's defaults for what is unset.</summary>
    public EstimateSettings EstimateSettings => new()
    {
        ContextSize = ContextSize ?? LlamaServerArgv.DefaultContextSize,
        GpuLayers = GpuLayers,
        Parallel = Parallel ?? 1,
        KvUnified = KvUnified ?? false,
        CacheTypeK = CacheTypeK ?? "f16",
        CacheTypeV = CacheTypeV ?? "f16",
        FlashAttention = FlashAttention ?? Estimate.FlashAttention.Auto,
        MicroBatch = MicroBatch ?? 512,
    };
}

/// <summary>Default sampling for requests that do not set their own (`--temp`, `--top-p`, …).</summary>
internal sealed record Sampling
{
    public static readonly Sampling None = new();

    public double? Temperature { get; init; }
    public double? TopP { get; init; }
    public int? TopK { get; init; }
    public double? MinP { get; init; }
    public double? RepeatPenalty { get; init; }
    public double? PresencePenalty { get; init; }
    public long? Seed { get; init; }
}

/// <summary>Where and as what tinyswap runs the server: these are never the user's to set through extraArgs.</summary>
internal sealed record LaunchEndpoint(string Binary, string Alias, int Port, string? SlotSavePath, string Host = "127.0.0.1");
