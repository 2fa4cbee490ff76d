using System.Collections.Immutable;

namespace TinySwap.LlamaCpp.Gguf;

/// <summary>What a GGUF header says about a model: enough to build a launch and estimate its memory, nothing more.</summary>
internal sealed record GgufFacts
{
    public required uint Version { get; init; }
    public required long FileBytes { get; init; }

    /// <summary>`general.architecture` (llama, qwen3, gemma3…): the prefix of the architecture keys below.</summary>
    public string? Architecture { get; init; }

    public string? Name { get; init; }
    public required long TensorCount { get; init; }

    /// <summary>Sum of every tensor's element count (llama.cpp's "model params").</summary>
    public required long ParameterCount { get; init; }

    /// <summary>`general.file_type` by name (Q4_K_M…), null when absent.</summary>
    public string? FileType { get; init; }

    /// <summary>The tensor type holding the most elements (q4_K, f16…).</summary>
    public string? DominantTensorType { get; init; }

    public long? ContextLength { get; init; }
    public long? BlockCount { get; init; }
    public long? HeadCount { get; init; }
    public long? EmbeddingLength { get; init; }
    public long? VocabSize { get; init; }

    /// <summary>`attention.key_length` / `value_length`: per-head sizes; absent means embedding length / head count.</summary>
    public long? KeyLength { get; init; }
    public long? ValueLength { get; init; }

    /// <summary>KV heads per layer: one entry per block (hybrid models store an array; a scalar is repeated).</summary>
    public ImmutableArray<long> KvHeadsPerLayer { get; init; } = [];

    /// <summary>Bytes of the tensor data (file size minus header), split: input (token embeddings, kept on the CPU by llama.cpp), per block, output.</summary>
    public required long InputBytes { get; init; }
    public required ImmutableArray<long> LayerBytes { get; init; }
    public required long OutputBytes { get; init; }

    public long WeightBytes => InputBytes + OutputBytes + LayerBytes.Sum();

    public long? HeadDimensionK => KeyLength ?? (HeadCount > 0 ? EmbeddingLength / HeadCount : null);
    public long? HeadDimensionV => ValueLength ?? HeadDimensionK;
}
