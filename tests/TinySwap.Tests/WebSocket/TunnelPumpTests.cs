using System.Buffers;
using System.IO.Pipelines;
using TinySwap.Http.Transport;
using TinySwap.Tests.Router;

namespace TinySwap.Tests.WebSocket;

/// <summary>
/// The byte pump between two in-memory connections: what each peer sends arrives untouched, a FIN is passed on as a
/// FIN, a reset as a reset, and a half-closed tunnel is ended by its grace period (on a fake clock).
/// </summary>
public sealed class TunnelPumpTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    /// <summary>One connection as the pump sees it; the test plays the peer on the other end.</summary>
    private sealed class FakeSide : ITunnelSide
    {
        private readonly Pipe _fromPeer = new();
        private readonly Pipe _toPeer = new();
        private int _shutdowns;
        private int _aborts;

        public PipeReader Input => _fromPeer.Reader;
        public PipeWriter Output => _toPeer.Writer;
        public int Shutdowns => Volatile.Read(ref _shutdowns);
        public bool Aborted => Volatile.Read(ref _aborts) > 0;

        /// <summary>What the pump wrote towards the peer.</summary>
        public PipeReader PeerReads => _toPeer.Reader;

        public async Task PeerSendsAsync(byte[] bytes) => await _fromPeer.Writer.WriteAsync(bytes);

        /// <summary>The peer's FIN.</summary>
        public Task PeerClosesAsync() => _fromPeer.Writer.CompleteAsync().AsTask();

        /// <summary>The peer's reset: reading fails, as SocketConnection reports it.</summary>
        public Task PeerResetsAsync() => _fromPeer.Writer.CompleteAsync(new IOException("connection reset")).AsTask();

        public void ShutdownOutput()
        {
            Interlocked.Increment(ref _shutdowns);
            _toPeer.Writer.Complete();
        }

        public void Abort()
        {
            // As SocketConnection: our own abort ends our reads quietly and makes further writes fail.
            if (Interlocked.Increment(ref _aborts) != 1)
                return;
            _fromPeer.Writer.Complete();
            _toPeer.Reader.Complete();
        }

        /// <summary>Reads what the pump sent the peer, up to its end of stream.</summary>
        public async Task<byte[]> PeerReadsToEndAsync()
        {
            var received = new List<byte>();
            while (true)
            {
                var read = await PeerReads.ReadAsync().AsTask().WaitAsync(Patience);
                received.AddRange(read.Buffer.ToArray());
                PeerReads.AdvanceTo(read.Buffer.End);
                if (read.IsCompleted)
                    return [.. received];
            }
        }

        public async Task<byte[]> PeerReadsAsync(int count)
        {
            var received = new List<byte>();
            while (received.Count < count)
            {
                var read = await PeerReads.ReadAsync().AsTask().WaitAsync(Patience);
                received.AddRange(read.Buffer.ToArray());
                PeerReads.AdvanceTo(read.Buffer.End);
                Assert.False(read.IsCompleted && received.Count < count, "stream ended early");
            }
            return [.. received];
        }
    }

    private static byte[] EveryByteValue(int repeat) => [.. Enumerable.Range(0, 256 * repeat).Select(i => (byte)i)];

    [Fact]
    public async Task BytesBothWays_Untouched_ThenClientCloses_ThenUpstream_EndsClosed()
    {
        var client = new FakeSide();
        var upstream = new FakeSide();
        var pump = TunnelPump.RunAsync(client, upstream, Patience, TimeProvider.System);

        var up = EveryByteValue(300);
        await client.PeerSendsAsync(up);
        Assert.Equal(up, await upstream.PeerReadsAsync(up.Length));
        var down = EveryByteValue(5).Reverse().ToArray();
        await upstream.PeerSendsAsync(down);
        Assert.Equal(down, await client.PeerReadsAsync(down.Length));

        await client.PeerClosesAsync();
        Assert.Empty(await upstream.PeerReadsToEndAsync()); // the upstream reads the client's FIN
        Assert.False(pump.IsCompleted, "the upstream may still answer after the client's FIN");
        await upstream.PeerSendsAsync([1, 2, 3]);
        Assert.Equal([1, 2, 3], await client.PeerReadsAsync(3));
        await upstream.PeerClosesAsync();

        var outcome = await pump.WaitAsync(Patience);
        Assert.Equal(new TunnelOutcome(TunnelEnding.Closed, up.Length, down.Length + 3), outcome);
        Assert.Empty(await client.PeerReadsToEndAsync());
        Assert.False(client.Aborted || upstream.Aborted);
        Assert.Equal(1, client.Shutdowns);
        Assert.Equal(1, upstream.Shutdowns);
    }

    [Fact]
    public async Task UpstreamClosesFirst_ClientReadsFin_ThenClientCloses_EndsClosed()
    {
        var client = new FakeSide();
        var upstream = new FakeSide();
        var pump = TunnelPump.RunAsync(client, upstream, Patience, TimeProvider.System);

        await upstream.PeerSendsAsync([0x88, 0x00]);
        await upstream.PeerClosesAsync();
        Assert.Equal([0x88, 0x00], await client.PeerReadsToEndAsync());
        await client.PeerSendsAsync([0x88, 0x80]);
        Assert.Equal([0x88, 0x80], await upstream.PeerReadsAsync(2));
        await client.PeerClosesAsync();

        Assert.Equal(TunnelEnding.Closed, (await pump.WaitAsync(Patience)).Ending);
        Assert.False(client.Aborted || upstream.Aborted);
    }

    [Fact]
    public async Task ClientResets_UpstreamIsReset()
    {
        var client = new FakeSide();
        var upstream = new FakeSide();
        var pump = TunnelPump.RunAsync(client, upstream, Patience, TimeProvider.System);

        await client.PeerResetsAsync();

        Assert.Equal(TunnelEnding.ClientFailed, (await pump.WaitAsync(Patience)).Ending);
        Assert.True(upstream.Aborted);
        Assert.True(client.Aborted);
        Assert.Equal(0, upstream.Shutdowns); // a reset, never a FIN that would pass for a clean close
    }

    [Fact]
    public async Task UpstreamResets_ClientIsReset()
    {
        var client = new FakeSide();
        var upstream = new FakeSide();
        var pump = TunnelPump.RunAsync(client, upstream, Patience, TimeProvider.System);

        await upstream.PeerResetsAsync();

        Assert.Equal(TunnelEnding.UpstreamFailed, (await pump.WaitAsync(Patience)).Ending);
        Assert.True(client.Aborted);
        Assert.Equal(0, client.Shutdowns);
    }

    [Fact]
    public async Task WritingToAGoneClient_CountsAsClientFailure()
    {
        var client = new FakeSide();
        var upstream = new FakeSide();
        var pump = TunnelPump.RunAsync(client, upstream, Patience, TimeProvider.System);

        client.PeerReads.Complete(); // the client stopped reading for good: the next write fails
        await upstream.PeerSendsAsync([42]);

        Assert.Equal(TunnelEnding.ClientFailed, (await pump.WaitAsync(Patience)).Ending);
        Assert.True(upstream.Aborted);
    }

    [Fact]
    public async Task HalfClosedTooLong_BothAreResetWhenTheGraceEnds()
    {
        var time = new FakeTimeProvider();
        var client = new FakeSide();
        var upstream = new FakeSide();
        var grace = TimeSpan.FromSeconds(10);
        var pump = TunnelPump.RunAsync(client, upstream, grace, time);

        await upstream.PeerClosesAsync();
        Assert.Empty(await client.PeerReadsToEndAsync());
        // The grace starts once the pump has seen that FIN; its timer is the signal.
        var deadline = DateTime.UtcNow + Patience;
        while (time.ArmedTimers == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the grace timer was never armed");
            await Task.Yield();
        }
        // The client keeps its side open; just short of the grace nothing happens.
        time.Advance(grace - TimeSpan.FromTicks(1));
        await client.PeerSendsAsync([7]);
        Assert.Equal([7], await upstream.PeerReadsAsync(1));
        Assert.False(pump.IsCompleted);
        time.Advance(TimeSpan.FromTicks(1));

        Assert.Equal(TunnelEnding.HalfCloseExpired, (await pump.WaitAsync(Patience)).Ending);
        Assert.True(client.Aborted);
        Assert.True(upstream.Aborted);
    }
}
