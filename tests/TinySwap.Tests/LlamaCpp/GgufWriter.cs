using System.Buffers.Binary;
using System.Text;
using TinySwap.LlamaCpp.Gguf;

namespace TinySwap.Tests.LlamaCpp;

/// <summary>Writes GGUF files for tests: any version, any metadata type, tensors with fake data, and deliberate lies.</summary>
internal sealed class GgufWriter(uint version = 3)
{
    private readonly List<Action<GgufWriter>> _metadata = [];
    private readonly List<(string Name, ulong[] Dims, uint Type, long Bytes)> _tensors = [];
    private readonly MemoryStream _out = new();

    public uint Version { get; } = version;
    public int Alignment { get; set; } = 32;

    public GgufWriter String(string key, string value) => Add(key, GgufValueType.String, w => w.WriteString(value));
    public GgufWriter UInt32(string key, uint value) => Add(key, GgufValueType.UInt32, w => w.U32(value));
    public GgufWriter Int32(string key, int value) => Add(key, GgufValueType.Int32, w => w.U32((uint)value));
    public GgufWriter UInt64(string key, ulong value) => Add(key, GgufValueType.UInt64, w => w.U64(value));
    public GgufWriter Int64(string key, long value) => Add(key, GgufValueType.Int64, w => w.U64((ulong)value));
    public GgufWriter UInt8(string key, byte value) => Add(key, GgufValueType.UInt8, w => w._out.WriteByte(value));
    public GgufWriter Int8(string key, sbyte value) => Add(key, GgufValueType.Int8, w => w._out.WriteByte((byte)value));
    public GgufWriter UInt16(string key, ushort value) => Add(key, GgufValueType.UInt16, w => w.U16(value));
    public GgufWriter Int16(string key, short value) => Add(key, GgufValueType.Int16, w => w.U16((ushort)value));
    public GgufWriter Bool(string key, bool value) => Add(key, GgufValueType.Bool, w => w._out.WriteByte(value ? (byte)1 : (byte)0));
    public GgufWriter Float32(string key, float value) => Add(key, GgufValueType.Float32, w => w.U32(BitConverter.SingleToUInt32Bits(value)));
    public GgufWriter Float64(string key, double value) => Add(key, GgufValueType.Float64, w => w.U64(BitConverter.DoubleToUInt64Bits(value)));

    public GgufWriter Int32Array(string key, params int[] values) => Add(key, GgufValueType.Array, w =>
    {
        w.U32((uint)GgufValueType.Int32);
        w.Size((ulong)values.Length);
        foreach (var v in values)
            w.U32((uint)v);
    });

    public GgufWriter StringArray(string key, params string[] values) => Add(key, GgufValueType.Array, w =>
    {
        w.U32((uint)GgufValueType.String);
        w.Size((ulong)values.Length);
        foreach (var v in values)
            w.WriteString(v);
    });

    /// <summary>An array of arrays of int32.</summary>
    public GgufWriter NestedArray(string key, params int[][] rows) => Add(key, GgufValueType.Array, w =>
    {
        w.U32((uint)GgufValueType.Array);
        w.Size((ulong)rows.Length);
        foreach (var row in rows)
        {
            w.U32((uint)GgufValueType.Int32);
            w.Size((ulong)row.Length);
            foreach (var v in row)
                w.U32((uint)v);
        }
    });

    /// <summary>An entry whose value is written raw: for lies (a huge count, a wrong length).</summary>
    public GgufWriter Raw(string key, GgufValueType type, Action<GgufWriter> value) => Add(key, type, value);

    public GgufWriter Tensor(string name, uint type, long bytes, params ulong[] dims)
    {
        _tensors.Add((name, dims, type, bytes));
        return this;
    }

    /// <summary>A llama-shaped model: the metadata llama.cpp reads and tensors of the given per-layer sizes.</summary>
    public static GgufWriter Llama(uint version = 3, int blocks = 4, long layerBytes = 1024, long embedBytes = 512, long outputBytes = 256)
    {
        var writer = new GgufWriter(version)
            .String("general.architecture", "llama")
            .String("general.name", "Tiny Llama")
            .UInt32("general.file_type", 15)
            .UInt32("llama.context_length", 8192)
            .UInt32("llama.block_count", (uint)blocks)
            .UInt32("llama.embedding_length", 4096)
            .UInt32("llama.attention.head_count", 32)
            .UInt32("llama.attention.head_count_kv", 8)
            .StringArray("tokenizer.ggml.tokens", "<s>", "</s>", "a", "b")
            .Tensor("token_embd.weight", 12, embedBytes, 4096, 4);
        for (var i = 0; i < blocks; i++)
        {
            writer.Tensor($"blk.{i}.attn_q.weight", 12, layerBytes / 2, 64, 64);
            writer.Tensor($"blk.{i}.ffn_down.weight", 14, layerBytes - layerBytes / 2, 32, 16);
        }
        return writer.Tensor("output.weight", 14, outputBytes, 4096, 4);
    }

    public byte[] ToArray()
    {
        _out.SetLength(0);
        _out.Write("GGUF"u8);
        U32(Version);
        Size((ulong)_tensors.Count);
        Size((ulong)_metadata.Count);
        foreach (var entry in _metadata)
            entry(this);
        long offset = 0;
        foreach (var (name, dims, type, bytes) in _tensors)
        {
            WriteString(name);
            U32((uint)dims.Length);
            foreach (var d in dims)
                Size(d);
            U32(type);
            U64((ulong)offset);
            offset += Align(bytes);
        }
        while (_out.Length % Alignment != 0)
            _out.WriteByte(0);
        foreach (var tensor in _tensors)
            _out.Write(new byte[Align(tensor.Bytes)]);
        return _out.ToArray();
    }

    private long Align(long bytes) => (bytes + Alignment - 1) / Alignment * Alignment;

    private GgufWriter Add(string key, GgufValueType type, Action<GgufWriter> value)
    {
        _metadata.Add(w =>
        {
            w.WriteString(key);
            w.U32((uint)type);
            value(w);
        });
        return this;
    }

    public void WriteString(string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        Size((ulong)bytes.Length);
        _out.Write(bytes);
    }

    /// <summary>A count or length in the version's width (uint32 in v1).</summary>
    public void Size(ulong value)
    {
        if (Version == 1)
            U32((uint)value);
        else
            U64(value);
    }

    public void U16(ushort value)
    {
        Span<byte> b = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(b, value);
        _out.Write(b);
    }

    public void U32(uint value)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(b, value);
        _out.Write(b);
    }

    public void U64(ulong value)
    {
        Span<byte> b = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(b, value);
        _out.Write(b);
    }

    public void Bytes(ReadOnlySpan<byte> bytes) => _out.Write(bytes);
}
