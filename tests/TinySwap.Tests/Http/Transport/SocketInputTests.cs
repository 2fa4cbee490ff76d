using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Text;
using TinySwap.Http.Transport;

namespace TinySwap.Tests.Http.Transport;

/// <summary>
/// Input read on demand keeps a Pipe's contract (examined, cancellation, TryRead, failures) and still notices a peer
/// that leaves while nobody reads, but not before the bytes it sent ahead of its FIN are read.
/// </summary>
public sealed class SocketInputTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task PeerFin_WhileNobodyReads_CountsAsGone()
    {
        using var pair = await RegisteredPair.ConnectAsync();
        var gone = new TaskCompletionSource();
        var input = new SocketInput(pair.Readiness, () => gone.TrySetResult());

        pair.Client.Shutdown(SocketShutdown.Send);

        await gone.Task.WaitAsync(Patience);
        var end = await input.ReadAsync();
        Assert.True(end.IsCompleted);
        Assert.True(end.Buffer.IsEmpty);
    }

    [Fact]
    public async Task BytesAheadOfTheFin_AreReadBeforeThePeerCountsAsGone()
    {
        using var pair = await RegisteredPair.ConnectAsync();
        var goneCount = 0;
        var input = new SocketInput(pair.Readiness, () => Interlocked.Increment(ref goneCount));
        pair.Client.Send("GET / HTTP/1.1\r\n\r\n"u8);
        pair.Client.Shutdown(SocketShutdown.Send);
        // The loop has seen the FIN's event (and peeked: a request still waits ahead of it).
        Assert.True(SpinWait.SpinUntil(() => pair.Readiness.PeerClosed, Patience), "no EPOLLRDHUP");

        Assert.Equal(0, Volatile.Read(ref goneCount));
        var read = await input.ReadAsync();
        Assert.Equal("GET / HTTP/1.1\r\n\r\n", Text(read.Buffer));
        Assert.Equal(0, Volatile.Read(ref goneCount));
        // Everything before the FIN is consumed: now the peer has gone, without another read.
        input.AdvanceTo(read.Buffer.End);
        Assert.Equal(1, Volatile.Read(ref goneCount));
        Assert.True((await input.ReadAsync()).IsCompleted);
    }

    [Fact]
    public async Task Examined_DecidesWhetherTheNextReadWaits()
    {
        using var pair = await RegisteredPair.ConnectAsync();
        var input = new SocketInput(pair.Readiness, () => { });
        pair.Client.Send("abcdef"u8);
        var first = await input.ReadAsync().AsTask().WaitAsync(Patience);
        Assert.Equal("abcdef", Text(first.Buffer));

        // Looked at everything, used two bytes: the next read waits for more.
        input.AdvanceTo(first.Buffer.GetPosition(2), first.Buffer.End);
        var waiting = input.ReadAsync();
        Assert.False(waiting.IsCompleted);
        pair.Client.Send("g"u8);
        var second = await waiting.AsTask().WaitAsync(Patience);
        Assert.Equal("cdefg", Text(second.Buffer));

        // Used one and looked no further: the rest comes back at once.
        input.AdvanceTo(second.Buffer.GetPosition(1));
        var pending = input.ReadAsync();
        Assert.True(pending.IsCompleted);
        var third = await pending;
        Assert.Equal("defg", Text(third.Buffer));
        input.AdvanceTo(third.Buffer.End);
    }

    [Fact]
    public async Task CancelPendingRead_EndsAWaitingRead_OrTheNextOne_AndLosesNoByte()
    {
        using var pair = await RegisteredPair.ConnectAsync();
        var input = new SocketInput(pair.Readiness, () => { });
        var waiting = input.ReadAsync().AsTask();
        Assert.False(waiting.IsCompleted);

        await Task.Run(input.CancelPendingRead);
        var canceled = await waiting.WaitAsync(Patience);
        Assert.True(canceled.IsCanceled);
        input.AdvanceTo(canceled.Buffer.End);

        input.CancelPendingRead();
        var pending = input.ReadAsync();
        Assert.True(pending.IsCompleted);
        var next = await pending;
        Assert.True(next.IsCanceled);
        input.AdvanceTo(next.Buffer.End);

        pair.Client.Send("after"u8);
        var data = await input.ReadAsync().AsTask().WaitAsync(Patience);
        Assert.False(data.IsCanceled);
        Assert.Equal("after", Text(data.Buffer));
    }

    [Fact]
    public async Task TokenCanceled_ThrowsFromTheWaitingRead_AndTheNextReadGetsTheBytes()
    {
        using var pair = await RegisteredPair.ConnectAsync();
        var input = new SocketInput(pair.Readiness, () => { });
        using var cts = new CancellationTokenSource();
        var waiting = input.ReadAsync(cts.Token).AsTask();
        Assert.False(waiting.IsCompleted);

        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(Patience));

        pair.Client.Send("x"u8);
        var data = await input.ReadAsync().AsTask().WaitAsync(Patience);
        Assert.Equal("x", Text(data.Buffer));
    }

    [Fact]
    public async Task TryRead_SeesBytesStillInTheKernel_WithoutARead()
    {
        using var pair = await RegisteredPair.ConnectAsync();
        var input = new SocketInput(pair.Readiness, () => { });
        Assert.False(input.TryRead(out _));

        pair.Client.Send("stray"u8);
        Assert.True(SpinWait.SpinUntil(() => pair.Readiness.ReadEventCount > 0, Patience), "no readiness event");

        Assert.True(input.TryRead(out var result));
        Assert.Equal("stray", Text(result.Buffer));
        input.AdvanceTo(result.Buffer.End);
        Assert.False(input.TryRead(out _));
    }

    [Fact]
    public async Task Reset_FailsTheReadAsPeerClosed_AndCountsAsGone()
    {
        using var pair = await RegisteredPair.ConnectAsync();
        var gone = new TaskCompletionSource();
        var input = new SocketInput(pair.Readiness, () => gone.TrySetResult());

        pair.Client.LingerState = new LingerOption(true, 0);
        pair.Client.Close();

        await gone.Task.WaitAsync(Patience);
        var error = await Assert.ThrowsAsync<IOException>(() => input.ReadAsync().AsTask().WaitAsync(Patience));
        Assert.Equal(IoFailureKind.PeerClosed, IoFailure.Classify(error));
    }

    [Fact]
    public async Task ABodyAcrossManyBuffers_ArrivesWhole_WhileTheReaderConsumesPartOfEachRead()
    {
        using var pair = await RegisteredPair.ConnectAsync();
        var input = new SocketInput(pair.Readiness, () => { });
        var sent = new byte[300 * 1024];
        new Random(7).NextBytes(sent);
        var sending = Task.Run(() =>
        {
            for (var offset = 0; offset < sent.Length; offset += 7000)
                pair.Client.Send(sent.AsSpan(offset, Math.Min(7000, sent.Length - offset)));
        });

        var received = new List<byte>(sent.Length);
        while (received.Count < sent.Length)
        {
            var read = await input.ReadAsync().AsTask().WaitAsync(Patience);
            // Half of what is there (at least one byte; all of the last of it), having looked at all of it: the rest
            // stays for the next read, which also waits for new bytes, so the buffer grows across receive buffers.
            var last = received.Count + read.Buffer.Length == sent.Length;
            var take = last ? read.Buffer : read.Buffer.Slice(0, Math.Max(1, read.Buffer.Length / 2));
            received.AddRange(take.ToArray());
            input.AdvanceTo(take.End, read.Buffer.End);
        }
        await sending;

        Assert.Equal(sent, received.ToArray());
    }

    private static string Text(ReadOnlySequence<byte> buffer) => Encoding.ASCII.GetString(buffer.ToArray());
}
