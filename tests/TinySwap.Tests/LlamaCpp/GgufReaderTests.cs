using TinySwap.LlamaCpp.Gguf;

namespace TinySwap.Tests.LlamaCpp;

public sealed class GgufReaderTests
{
    internal static GgufReadResult Read(byte[] bytes, GgufLimits? limits = null)
    {
        using var stream = new MemoryStream(bytes, writable: false);
        return GgufReader.Read(stream, bytes.Length, limits ?? GgufLimits.Default);
    }

    private static GgufFacts Facts(byte[] bytes)
    {
        var result = Read(bytes);
        Assert.True(result.Facts is not null, result.Error);
        return result.Facts;
    }

    [Theory]
    [InlineData(1u)]
    [InlineData(2u)]
    [InlineData(3u)]
    public void Read_LlamaShapedFileOfEachVersion_ReportsItsFacts(uint version)
    {
        var bytes = GgufWriter.Llama(version, blocks: 4, layerBytes: 1024, embedBytes: 512, outputBytes: 256).ToArray();

        var facts = Facts(bytes);

        Assert.Equal(version, facts.Version);
        Assert.Equal("llama", facts.Architecture);
        Assert.Equal("Tiny Llama", facts.Name);
        Assert.Equal("Q4_K_M", facts.FileType);
        Assert.Equal(8192, facts.ContextLength);
        Assert.Equal(4, facts.BlockCount);
        Assert.Equal(32, facts.HeadCount);
        Assert.Equal(4096, facts.EmbeddingLength);
        Assert.Equal(128, facts.HeadDimensionK);
        Assert.Equal(4, facts.VocabSize);
        Assert.Equal([8L, 8, 8, 8], facts.KvHeadsPerLayer.ToArray());
        Assert.Equal(1 + 4 * 2 + 1, facts.TensorCount);
        // token_embd 4096x4, per block 64x64 + 32x16, output 4096x4.
        Assert.Equal(4096 * 4 * 2 + 4 * (64 * 64 + 32 * 16), facts.ParameterCount);
        Assert.Equal("q4_K", facts.DominantTensorType);
        Assert.Equal(512, facts.InputBytes);
        Assert.Equal([1024L, 1024, 1024, 1024], facts.LayerBytes.ToArray());
        Assert.Equal(256, facts.OutputBytes);
        Assert.Equal(bytes.Length, facts.FileBytes);
    }

    [Fact]
    public void Read_EveryMetadataValueType_IsParsedOrSkipped()
    {
        var bytes = GgufWriter.Llama()
            .UInt8("x.u8", 200).Int8("x.i8", -5).UInt16("x.u16", 60000).Int16("x.i16", -300)
            .Int32("x.i32", -7).UInt64("x.u64", ulong.MaxValue).Int64("x.i64", -9).Bool("x.bool", true)
            .Float32("x.f32", 0.5f).Float64("x.f64", 1e300).String("x.str", "héllo")
            .StringArray("x.strs", "a", "", "ccc").Int32Array("x.ints", 1, 2, 3)
            .NestedArray("x.nested", [1, 2], [], [3])
            .UInt64("llama.embedding_length", 4096)
            .ToArray();

        var facts = Facts(bytes);

        Assert.Equal("llama", facts.Architecture);
        Assert.Equal(4096, facts.EmbeddingLength);
    }

    [Fact]
    public void Read_ArchitectureAfterItsKeys_StillResolvesThem()
    {
        var bytes = new GgufWriter()
            .UInt32("qwen3.block_count", 2).UInt32("qwen3.context_length", 40960)
            .String("general.architecture", "qwen3")
            .ToArray();

        var facts = Facts(bytes);

        Assert.Equal(2, facts.BlockCount);
        Assert.Equal(40960, facts.ContextLength);
    }

    [Fact]
    public void Read_PerLayerKvHeadArray_IsKeptAsIs()
    {
        var bytes = new GgufWriter()
            .String("general.architecture", "jamba").UInt32("jamba.block_count", 4)
            .UInt32("jamba.attention.head_count", 32).Int32Array("jamba.attention.head_count_kv", 0, 8, 0, 8)
            .ToArray();

        Assert.Equal([0L, 8, 0, 8], Facts(bytes).KvHeadsPerLayer.ToArray());
    }

    [Fact]
    public void Read_NoKvHeadCount_MeansOnePerQueryHead()
    {
        var bytes = new GgufWriter()
            .String("general.architecture", "llama").UInt32("llama.block_count", 2).UInt32("llama.attention.head_count", 32)
            .ToArray();

        Assert.Equal([32L, 32], Facts(bytes).KvHeadsPerLayer.ToArray());
    }

    [Fact]
    public void Read_EveryTruncation_GivesATruncationError()
    {
        var bytes = GgufWriter.Llama(blocks: 2, layerBytes: 64, embedBytes: 32, outputBytes: 32).ToArray();
        var headerEnd = bytes.Length - (32 + 2 * 64 + 32);

        for (var length = 0; length < headerEnd; length++)
        {
            var result = Read(bytes[..length]);
            Assert.True(result.Error is not null, $"a file cut at {length} bytes was accepted");
            Assert.Contains("truncated", result.Error);
        }
        // Cut inside the tensor data: the header reads, but a tensor starts past the end.
        Assert.Contains("data starts", Read(bytes[..(headerEnd + 40)]).Error);
    }

    [Fact]
    public void Read_TruncatedNonSeekableStream_GivesATruncationError()
    {
        var bytes = GgufWriter.Llama().ToArray();
        for (var length = 0; length < 200; length += 7)
        {
            using var stream = new OneWayStream(bytes[..length]);
            var result = GgufReader.Read(stream, length: null, GgufLimits.Default);
            Assert.Contains("truncated", result.Error);
        }
    }

    [Theory]
    [InlineData("NOPE", "not a GGUF file")]
    [InlineData("GGML", "not a GGUF file")]
    public void Read_WrongMagic_SaysNotGguf(string magic, string expected)
    {
        var bytes = GgufWriter.Llama().ToArray();
        System.Text.Encoding.ASCII.GetBytes(magic).CopyTo(bytes, 0);

        Assert.Contains(expected, Read(bytes).Error);
    }

    [Theory]
    [InlineData(0u, "unsupported GGUF version 0")]
    [InlineData(4u, "unsupported GGUF version 4")]
    [InlineData(0x03000000u, "big-endian GGUF is not supported")]
    public void Read_UnknownVersion_IsRefused(uint version, string expected)
    {
        var bytes = GgufWriter.Llama().ToArray();
        BitConverter.GetBytes(version).CopyTo(bytes, 4);

        Assert.Contains(expected, Read(bytes).Error);
    }

    [Fact]
    public void Read_HugeTensorCount_IsRefusedBeforeAnyLoop()
    {
        var bytes = GgufWriter.Llama().ToArray();
        BitConverter.GetBytes(1UL << 40).CopyTo(bytes, 8);

        Assert.Contains("tensors is more than the 65536 allowed", Read(bytes).Error);
    }

    [Fact]
    public void Read_HugeMetadataCount_IsRefused()
    {
        var bytes = GgufWriter.Llama().ToArray();
        BitConverter.GetBytes(ulong.MaxValue).CopyTo(bytes, 16);

        Assert.Contains("metadata entries is more than", Read(bytes).Error);
    }

    [Theory]
    [InlineData(5u)]
    [InlineData(8u)]
    [InlineData(9u)]
    public void Read_ArrayClaimingMoreElementsThanTheFileHolds_IsRefused(uint elementType)
    {
        var bytes = GgufWriter.Llama()
            .Raw("x.lie", GgufValueType.Array, w => { w.U32(elementType); w.U64(1UL << 60); })
            .ToArray();

        var error = Read(bytes).Error;

        Assert.Contains("an array claims 1152921504606846976 elements", error);
        Assert.Contains("'x.lie'", error);
    }

    [Fact]
    public void Read_StringLongerThanTheFile_IsRefused()
    {
        var bytes = GgufWriter.Llama()
            .Raw("x.lie", GgufValueType.String, w => { w.U64(1_000_000); w.Bytes("short"u8); })
            .ToArray();

        Assert.Contains("a string claims 1000000 bytes but only", Read(bytes).Error);
    }

    [Fact]
    public void Read_LyingStringOnANonSeekableStream_StopsAtTheValueBudget()
    {
        var bytes = GgufWriter.Llama()
            .Raw("x.lie", GgufValueType.String, w => w.U64(1UL << 50))
            .ToArray();
        using var stream = new OneWayStream(bytes);

        var result = GgufReader.Read(stream, length: null, GgufLimits.Default);

        Assert.Contains("a string claims 1125899906842624 bytes but at most 67108864 are allowed", result.Error);
    }

    [Fact]
    public void Read_KeyLongerThanTheLimit_IsRefused()
    {
        var bytes = new GgufWriter().String(new string('k', 5000), "v").ToArray();

        Assert.Contains("a string claims 5000 bytes but at most 4096 are allowed", Read(bytes).Error);
    }

    [Fact]
    public void Read_ArraysNestedTooDeep_AreRefused()
    {
        var bytes = new GgufWriter()
            .Raw("x.deep", GgufValueType.Array, w =>
            {
                for (var i = 0; i < 6; i++)
                {
                    w.U32((uint)GgufValueType.Array);
                    w.U64(1);
                }
                w.U32((uint)GgufValueType.Int32);
                w.U64(0);
            })
            .ToArray();

        Assert.Contains("nested deeper than 4", Read(bytes).Error);
    }

    [Fact]
    public void Read_UnknownValueType_IsRefused()
    {
        var bytes = new GgufWriter().Raw("x.odd", (GgufValueType)13, _ => { }).ToArray();

        Assert.Contains("unknown value type 13, in metadata entry 0 'x.odd'", Read(bytes).Error);
    }

    [Fact]
    public void Read_TensorWithFiveDimensions_IsRefused()
    {
        var bytes = new GgufWriter().Tensor("blk.0.x", 0, 32, 1, 1, 1, 1, 1).ToArray();

        Assert.Contains("5 dimensions (at most 4), in tensor info 0 'blk.0.x'", Read(bytes).Error);
    }

    [Fact]
    public void Read_TensorWhoseElementCountOverflows_IsRefused()
    {
        var bytes = new GgufWriter().Tensor("blk.0.x", 0, 32, 1UL << 40, 1UL << 40).ToArray();

        Assert.Contains("element count overflows", Read(bytes).Error);
    }

    [Fact]
    public void Read_HeaderOverTheBudget_IsRefused()
    {
        var bytes = GgufWriter.Llama().StringArray("x.big", Enumerable.Repeat(new string('x', 100), 100).ToArray()).ToArray();

        var result = Read(bytes, GgufLimits.Default with { MaxHeaderBytes = 4096 });

        Assert.Contains("the header would exceed 4096 bytes", result.Error);
    }

    [Fact]
    public void Read_FileOnDisk_ReportsItsPathInErrors()
    {
        var path = Path.Combine(Path.GetTempPath(), $"tinyswap-gguf-{Guid.NewGuid():N}.gguf");
        File.WriteAllBytes(path, "GGUF"u8.ToArray());
        try
        {
            Assert.StartsWith($"{path}: the file ends early", GgufFile.Read(path).Error);
            Assert.Contains("Could not find file", GgufFile.Read(path + ".missing").Error);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>A stream that cannot seek and does not know its length, like a pipe.</summary>
    internal sealed class OneWayStream(byte[] bytes) : Stream
    {
        private readonly MemoryStream _inner = new(bytes);
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, Math.Min(count, 3));
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
