using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using TinySwap.Http.Transport;

namespace TinySwap.Tests.Http.Transport;

/// <summary>
/// The direct socket output of a plain TCP connection, against a real loopback peer: bytes arrive whole and in order
/// whatever the number of buffers, a slow peer holds the flush, and cancellation, teardown and a peer's reset end a
/// flush the way the proxy's callers expect (IoFailure kinds).
/// </summary>
public sealed class SocketPipeWriterTests : IAsyncLifetime
{
    // Far beyond what loopback's socket buffers take (tcp_wmem and tcp_rmem top out at a few MiB), so a flush of this
    // much cannot finish before the peer reads.
    private const int MoreThanTheKernelBuffers = 32 * 1024 * 1024;

    private Socket _peer = null!;
    private SocketConnection _connection = null!;

    public async Task InitializeAsync()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        _peer = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await _peer.ConnectAsync(listener.LocalEndPoint!);
        _connection = new SocketConnection(await listener.AcceptAsync());
        _connection.Start();
    }

    public async Task DisposeAsync()
    {
        await _connection.DisposeAsync();
        _peer.Dispose();
    }

    [Fact]
    public void Output_OfPlainTcp_IsTheDirectSocketWriter()
    {
        Assert.IsType<SocketPipeWriter>(_connection.Output);
    }

    [Fact]
    public async Task FlushAsync_SmallWriteTheKernelTakesAtOnce_CompletesSynchronously()
    {
        _connection.Output.Write("hello"u8);

        var flush = _connection.Output.FlushAsync();

        Assert.True(flush.IsCompletedSuccessfully);
        Assert.False((await flush).IsCanceled);
        Assert.Equal("hello"u8.ToArray(), await ReceiveAsync(5));
    }

    [Fact]
    public async Task FlushAsync_SmallFlushesOnceWarm_AllocateNothing()
    {
        const int Flushes = 1000;
        var output = _connection.Output;
        for (var i = 0; i < 10; i++)
            FlushSynchronously(output); // warm up: the pool's per-thread cache, the socket's first send

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Flushes; i++)
            FlushSynchronously(output);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(16 * (Flushes + 10), (await ReceiveAsync(16 * (Flushes + 10))).Length);
    }

    // 16 bytes a flush, 16 KiB in all: the loopback socket buffers take it without the peer reading, so every send
    // completes at once and the measurement stays on this thread.
    private static void FlushSynchronously(PipeWriter output)
    {
        output.Write("0123456789abcdef"u8);
        var flush = output.FlushAsync();
        Assert.True(flush.IsCompletedSuccessfully);
        flush.GetAwaiter().GetResult();
    }

    [Fact]
    public async Task FlushAsync_NothingWritten_SendsNothingAndCompletes()
    {
        var flush = _connection.Output.FlushAsync();

        Assert.True(flush.IsCompletedSuccessfully);
        _connection.Output.Write("x"u8);
        await _connection.Output.FlushAsync();
        Assert.Equal("x"u8.ToArray(), await ReceiveAsync(1));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(40)]
    public async Task FlushAsync_ManyBuffers_ArriveWholeAndInOrder(int writes)
    {
        var output = _connection.Output;
        var expected = new List<byte>();
        for (var i = 0; i < writes; i++)
        {
            // Odd sizes, each asking for more than the buffer has left, so every write may start a new segment.
            var size = 1000 + i * 997;
            var span = output.GetSpan(size);
            for (var j = 0; j < size; j++)
                span[j] = (byte)(i + j);
            expected.AddRange(span[..size].ToArray());
            output.Advance(size);
        }
        Assert.Equal(expected.Count, output.UnflushedBytes);

        var flush = output.FlushAsync();
        var received = await ReceiveAsync(expected.Count);
        await flush;

        Assert.Equal(expected.ToArray(), received);
        Assert.Equal(0, output.UnflushedBytes);
    }

    [Fact]
    public async Task FlushAsync_PeerNotReading_StaysPendingUntilThePeerReads()
    {
        var output = _connection.Output;
        output.Write(Pattern(MoreThanTheKernelBuffers));

        var flush = output.FlushAsync();

        Assert.False(flush.IsCompleted);
        var received = await ReceiveAsync(MoreThanTheKernelBuffers);
        await flush;
        Assert.Equal(Pattern(MoreThanTheKernelBuffers), received);
    }

    [Fact]
    public async Task FlushAsync_TokenCanceledWhilePending_ThrowsCanceledAndResetsTheConnection()
    {
        var output = _connection.Output;
        output.Write(Pattern(MoreThanTheKernelBuffers));
        using var cancel = new CancellationTokenSource();
        var flush = output.FlushAsync(cancel.Token);
        Assert.False(flush.IsCompleted);

        cancel.Cancel();

        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await flush);
        Assert.Equal(cancel.Token, error.CancellationToken);
        Assert.True(_connection.IsClosed);
        Assert.Equal(SocketError.ConnectionReset, await DrainUntilErrorAsync());
    }

    [Fact]
    public async Task FlushAsync_TokenAlreadyCanceled_ThrowsWithoutSendingAndKeepsTheBytes()
    {
        var output = _connection.Output;
        output.Write("kept"u8);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await output.FlushAsync(new CancellationToken(canceled: true)));

        Assert.False(_connection.IsClosed);
        await output.FlushAsync();
        Assert.Equal("kept"u8.ToArray(), await ReceiveAsync(4));
    }

    [Fact]
    public async Task CancelPendingFlush_NoFlushPending_TheNextFlushReportsCanceledAndALaterOneSends()
    {
        var output = _connection.Output;
        output.Write("later"u8);

        output.CancelPendingFlush();

        Assert.True((await output.FlushAsync()).IsCanceled);
        Assert.False((await output.FlushAsync()).IsCanceled);
        Assert.Equal("later"u8.ToArray(), await ReceiveAsync(5));
    }

    [Fact]
    public async Task CancelPendingFlush_WhilePending_ReportsCanceledAndResetsTheConnection()
    {
        var output = _connection.Output;
        output.Write(Pattern(MoreThanTheKernelBuffers));
        var flush = output.FlushAsync();
        Assert.False(flush.IsCompleted);

        output.CancelPendingFlush();

        Assert.True((await flush).IsCanceled);
        Assert.True(_connection.IsClosed);
    }

    [Fact]
    public async Task DisposeAsync_WhileAFlushIsPending_FailsTheFlushAsClosedByUs()
    {
        var output = _connection.Output;
        output.Write(Pattern(MoreThanTheKernelBuffers));
        var flush = output.FlushAsync();
        Assert.False(flush.IsCompleted);

        await _connection.DisposeAsync();

        var error = await Assert.ThrowsAnyAsync<Exception>(async () => await flush);
        Assert.Equal(IoFailureKind.ClosedByUs, IoFailure.Classify(error));
        Assert.Throws<InvalidOperationException>(() => output.GetSpan());
    }

    [Fact]
    public async Task FlushAsync_PeerReset_FailsAsPeerClosed()
    {
        _peer.LingerState = new LingerOption(true, 0);
        _peer.Close();
        await WaitClosedAsync();
        _connection.Output.Write("too late"u8);

        var error = await Assert.ThrowsAnyAsync<Exception>(async () => await _connection.Output.FlushAsync());

        Assert.IsType<IOException>(error);
        Assert.Equal(IoFailureKind.PeerClosed, IoFailure.Classify(error));
    }

    [Fact]
    public async Task GetSpan_AfterComplete_Throws()
    {
        await _connection.Output.CompleteAsync();

        Assert.Throws<InvalidOperationException>(() => _connection.Output.GetSpan());
    }

    private static byte[] Pattern(int length)
    {
        var bytes = new byte[length];
        for (var i = 0; i < length; i++)
            bytes[i] = (byte)(i * 7 + (i >> 12));
        return bytes;
    }

    private async Task<byte[]> ReceiveAsync(int length)
    {
        var buffer = new byte[length];
        for (var read = 0; read < length;)
        {
            var received = await _peer.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None).AsTask().WaitAsync(RawClientPatience);
            Assert.NotEqual(0, received);
            read += received;
        }
        return buffer;
    }

    /// <summary>Reads whatever arrives until the connection fails, and says how.</summary>
    private async Task<SocketError> DrainUntilErrorAsync()
    {
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            while (true)
            {
                if (await _peer.ReceiveAsync(buffer.AsMemory(), SocketFlags.None).AsTask().WaitAsync(RawClientPatience) == 0)
                    return SocketError.Success;
            }
        }
        catch (SocketException ex)
        {
            return ex.SocketErrorCode;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task WaitClosedAsync()
    {
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var _ = _connection.Closed.Register(() => closed.TrySetResult());
        await closed.Task.WaitAsync(RawClientPatience);
    }

    private static TimeSpan RawClientPatience => Support.RawClient.Patience;
}
