namespace TinySwap.LlamaCpp.Gguf;

internal sealed partial class GgufReader
{
    /// <summary>ggml's GGML_MAX_DIMS: a tensor has at most four dimensions.</summary>
    private const uint MaxDimensions = 4;

    /// <summary>Tensor type ids are small (ggml has ~40); a larger one is corruption, not a future type.</summary>
    private const uint MaxTensorType = 255;

    private GgufTensors ReadTensorInfos(long count)
    {
        var tensors = new GgufTensors();
        for (long i = 0; i < count; i++)
        {
            _input.Context = $"tensor info {i}";
            var name = ReadShortString("a tensor name");
            _input.Context = $"tensor info {i} '{name}'";
            var dimensions = _input.ReadUInt32();
            if (dimensions > MaxDimensions)
                throw _input.Fail($"{dimensions} dimensions (at most {MaxDimensions})");
            long elements = 1;
            for (var d = 0; d < dimensions; d++)
            {
                var extent = ReadSize();
                // ggml keeps extents as int64; a product past 2^62 elements is no real tensor.
                if (extent > 1UL << 62 || (extent != 0 && (ulong)elements > (1UL << 62) / extent))
                    throw _input.Fail("the tensor's element count overflows");
                elements *= (long)extent;
            }
            var type = _input.ReadUInt32();
            if (type > MaxTensorType)
                throw _input.Fail($"unknown tensor type {type}");
            var offset = _input.ReadUInt64();
            if (offset > long.MaxValue)
                throw _input.Fail("the data offset is out of range");
            tensors.Add(GgufTensors.LayerOf(name), elements, type, (long)offset);
        }
        return tensors;
    }
}
