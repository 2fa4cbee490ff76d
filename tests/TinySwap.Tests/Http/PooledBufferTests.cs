using System.Buffers;
using TinySwap.Http.Buffers;

namespace TinySwap.Tests.Http;

public sealed class PooledBufferTests
{
    [Fact]
    public void Write_PastTheInitialCapacity_KeepsEveryByteInOrder()
    {
        using var buffer = new PooledBuffer(16);
        var data = Enumerable.Range(0, 10_000).Select(i => (byte)i).ToArray();

        foreach (var chunk in data.Chunk(333))
            buffer.Write(new ReadOnlySequence<byte>(chunk));

        Assert.Equal(data, buffer.WrittenSpan.ToArray());
    }

    [Fact]
    public void Dispose_ThenWriteAgain_HoldsOnlyTheNewBytes()
    {
        var buffer = new PooledBuffer();
        buffer.Write(new ReadOnlySequence<byte>("first request body"u8.ToArray()));
        buffer.Dispose();

        Assert.Equal(0, buffer.WrittenCount);
        buffer.Write(new ReadOnlySequence<byte>("second"u8.ToArray()));

        Assert.Equal("second"u8.ToArray(), buffer.WrittenSpan.ToArray());
        buffer.Dispose();
    }

    [Fact]
    public void GetSpan_WithoutHint_OffersTheInitialCapacity()
    {
        using var buffer = new PooledBuffer(4096);

        Assert.True(buffer.GetSpan().Length >= 4096);
    }
}
