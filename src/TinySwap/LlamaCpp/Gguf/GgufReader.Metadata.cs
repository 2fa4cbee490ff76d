namespace TinySwap.LlamaCpp.Gguf;

internal sealed partial class GgufReader
{
    private void ReadMetadataEntry(long index, GgufMetadata metadata)
    {
        _input.Context = $"metadata entry {index}";
        var key = ReadShortString("a metadata key");
        _input.Context = $"metadata entry {index} '{key}'";
        var type = ReadValueType();
        if (type == GgufValueType.String && GgufMetadata.IsWantedString(key))
        {
            var text = ReadShortString(key);
            if (key == "general.architecture")
                metadata.Architecture = text;
            else
                metadata.Name = text;
        }
        else if (type == GgufValueType.Array && (metadata.IsWantedArray(key) || key == "tokenizer.ggml.tokens"))
            ReadKeptArray(key, metadata);
        else if (IsInteger(type) && metadata.IsWantedInteger(key))
            metadata.Integers[key] = ReadInteger(type);
        else
            SkipValue(type, depth: 0);
    }

    private GgufValueType ReadValueType()
    {
        var type = _input.ReadUInt32();
        if (type > (uint)GgufValueType.Float64)
            throw _input.Fail($"unknown value type {type}");
        return (GgufValueType)type;
    }

    private static bool IsInteger(GgufValueType type) =>
        type is GgufValueType.UInt8 or GgufValueType.Int8 or GgufValueType.UInt16 or GgufValueType.Int16
            or GgufValueType.UInt32 or GgufValueType.Int32 or GgufValueType.UInt64 or GgufValueType.Int64;

    private long ReadInteger(GgufValueType type) => type switch
    {
        GgufValueType.UInt8 => _input.ReadByte(),
        GgufValueType.Int8 => (sbyte)_input.ReadByte(),
        GgufValueType.UInt16 => _input.ReadUInt16(),
        GgufValueType.Int16 => (short)_input.ReadUInt16(),
        GgufValueType.UInt32 => _input.ReadUInt32(),
        GgufValueType.Int32 => (int)_input.ReadUInt32(),
        // A uint64 above long.MaxValue is no size any model has; it saturates rather than turning negative.
        GgufValueType.UInt64 => (long)Math.Min(_input.ReadUInt64(), long.MaxValue),
        _ => (long)_input.ReadUInt64(),
    };

    private static int FixedSize(GgufValueType type) => type switch
    {
        GgufValueType.UInt8 or GgufValueType.Int8 or GgufValueType.Bool => 1,
        GgufValueType.UInt16 or GgufValueType.Int16 => 2,
        GgufValueType.UInt32 or GgufValueType.Int32 or GgufValueType.Float32 => 4,
        GgufValueType.UInt64 or GgufValueType.Int64 or GgufValueType.Float64 => 8,
        _ => 0,
    };

    private void SkipValue(GgufValueType type, int depth)
    {
        switch (type)
        {
            case GgufValueType.String:
                _input.Skip(ReadStringLength(_limits.MaxValueBytes));
                break;
            case GgufValueType.Array:
                SkipArray(depth + 1);
                break;
            default:
                _input.Skip(FixedSize(type));
                break;
        }
    }

    private void SkipArray(int depth)
    {
        if (depth > _limits.MaxArrayDepth)
            throw _input.Fail($"arrays nested deeper than {_limits.MaxArrayDepth}");
        var (elementType, count) = ReadArrayHead();
        if (FixedSize(elementType) is var size and > 0)
        {
            _input.Skip(count * size);
            return;
        }
        for (long i = 0; i < count; i++)
            SkipValue(elementType, depth);
    }

    /// <summary>
    /// An array's element type and count; the count is refused when even the smallest encoding of that many elements
    /// would not fit in the bytes left, so a lying count fails here instead of after a long loop.
    /// </summary>
    private (GgufValueType Type, long Count) ReadArrayHead()
    {
        var elementType = ReadValueType();
        var count = ReadSize();
        var lengthField = _version == 1 ? 4 : 8;
        var smallest = FixedSize(elementType) is var size and > 0 ? size
            : elementType == GgufValueType.String ? lengthField
            : 4 + lengthField; // a nested array: its type and count
        if (count > (ulong)(_limits.MaxValueBytes / smallest))
            throw _input.Fail($"an array claims {count} elements but at most {_limits.MaxValueBytes / smallest} are allowed");
        if (_input.Remaining is { } remaining && count > (ulong)(remaining / smallest))
            throw _input.Fail($"an array claims {count} elements but only {remaining} bytes are left in the file (truncated or corrupt)");
        return (elementType, (long)count);
    }

    private void ReadKeptArray(string key, GgufMetadata metadata)
    {
        var (elementType, count) = ReadArrayHead();
        if (key == "tokenizer.ggml.tokens")
        {
            metadata.TokenCount = count;
            for (long i = 0; i < count; i++)
                SkipValue(elementType, depth: 1);
            return;
        }
        if (!IsInteger(elementType))
        {
            for (long i = 0; i < count; i++)
                SkipValue(elementType, depth: 1);
            return;
        }
        if (count > metadata.MaxLayers)
            throw _input.Fail($"a per-layer array of {count} entries is more than the {metadata.MaxLayers} layers allowed");
        var values = new long[count];
        for (var i = 0; i < values.Length; i++)
            values[i] = ReadInteger(elementType);
        metadata.IntegerArrays[key] = values;
    }
}
