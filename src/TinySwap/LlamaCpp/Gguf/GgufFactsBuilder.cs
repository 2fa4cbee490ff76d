using System.Collections.Immutable;

namespace TinySwap.LlamaCpp.Gguf;

/// <summary>Turns what the reader kept into <see cref="GgufFacts"/>: resolves architecture keys and sizes each tensor's data.</summary>
internal static class GgufFactsBuilder
{
    private const long DefaultAlignment = 32; // gguf.md: general.alignment defaults to 32

    public static GgufFacts Build(uint version, GgufInput input, GgufMetadata metadata, GgufTensors tensors)
    {
        input.Context = "the tensor data";
        var alignment = metadata.Integer("general.alignment") ?? DefaultAlignment;
        if (alignment <= 0 || alignment > 1 << 20 || (alignment & (alignment - 1)) != 0)
            throw input.Fail($"general.alignment {alignment} is not a power of two up to 1 MiB");
        var dataOffset = (input.Position + alignment - 1) / alignment * alignment;
        long? dataBytes = input.Length - dataOffset;
        if (dataBytes < 0 && tensors.Count > 0)
            throw input.Truncated();

        var blockCount = metadata.ArchitectureInteger(".block_count");
        if (blockCount is < 0 || blockCount > metadata.MaxLayers)
            throw input.Fail($"block_count {blockCount} is more than the {metadata.MaxLayers} layers allowed");
        var (inputBytes, layerBytes, outputBytes) = SizeTensors(input, tensors, dataBytes, (int)(blockCount ?? 0), metadata.MaxLayers);

        var headCount = metadata.ArchitectureInteger(".attention.head_count") ?? MaxOf(metadata, ".attention.head_count");
        return new GgufFacts
        {
            Version = version,
            FileBytes = input.Length ?? 0,
            Architecture = metadata.Architecture,
            Name = metadata.Name,
            TensorCount = tensors.Count,
            ParameterCount = tensors.Parameters,
            FileType = metadata.Integer("general.file_type") is { } fileType ? GgmlTypes.FileTypeName(fileType) : null,
            DominantTensorType = tensors.DominantType() is { } type ? GgmlTypes.TensorTypeName(type) : null,
            ContextLength = metadata.ArchitectureInteger(".context_length"),
            BlockCount = blockCount,
            HeadCount = headCount,
            EmbeddingLength = metadata.ArchitectureInteger(".embedding_length"),
            VocabSize = metadata.ArchitectureInteger(".vocab_size") ?? metadata.TokenCount,
            KeyLength = metadata.ArchitectureInteger(".attention.key_length"),
            ValueLength = metadata.ArchitectureInteger(".attention.value_length"),
            KvHeadsPerLayer = KvHeads(metadata, blockCount ?? 0, headCount),
            InputBytes = inputBytes,
            LayerBytes = layerBytes,
            OutputBytes = outputBytes,
        };
    }

    /// <summary>
    /// A tensor's size is the distance to the next tensor's offset (the last one runs to the end of the file), which
    /// holds for every type, including ones this code has no block size for. Without a known length the last is 0.
    /// </summary>
    private static (long Input, ImmutableArray<long> Layers, long Output) SizeTensors(
        GgufInput input, GgufTensors tensors, long? dataBytes, int blockCount, int maxLayers)
    {
        var sorted = tensors.Entries.OrderBy(entry => entry.Offset).ToArray();
        var layers = new long[blockCount];
        long inputBytes = 0, outputBytes = 0;
        for (var i = 0; i < sorted.Length; i++)
        {
            var (layer, offset) = sorted[i];
            if (offset > dataBytes)
                throw input.Fail($"a tensor's data starts {offset} bytes into a data section of {dataBytes}");
            var end = i + 1 < sorted.Length ? sorted[i + 1].Offset : dataBytes ?? offset;
            var size = end - offset;
            if (layer >= maxLayers)
                throw input.Fail($"tensor of layer {layer} beyond the {maxLayers} layers allowed");
            if (layer >= layers.Length)
                Array.Resize(ref layers, layer + 1);
            if (layer >= 0)
                layers[layer] += size;
            else if (layer == GgufTensors.Input)
                inputBytes += size;
            else
                outputBytes += size;
        }
        return (inputBytes, [.. layers], outputBytes);
    }

    private static ImmutableArray<long> KvHeads(GgufMetadata metadata, long blockCount, long? headCount)
    {
        if (metadata.Architecture is { } arch && metadata.IntegerArrays.TryGetValue(arch + ".attention.head_count_kv", out var perLayer))
            return [.. perLayer];
        // Without head_count_kv a model has no grouped-query attention: as many KV heads as query heads.
        var heads = metadata.ArchitectureInteger(".attention.head_count_kv") ?? headCount;
        return heads is { } value ? [.. Enumerable.Repeat(value, (int)blockCount)] : [];
    }

    private static long? MaxOf(GgufMetadata metadata, string suffix) =>
        metadata.Architecture is { } arch && metadata.IntegerArrays.TryGetValue(arch + suffix, out var values) && values.Length > 0
            ? values.Max()
            : null;
}
