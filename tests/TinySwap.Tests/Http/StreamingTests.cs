using System.Net.Sockets;
using System.Text;
using TinySwap.Proxy.Forwarding;
using TinySwap.Tests.Http.Support;

namespace TinySwap.Tests.Http;

/// <summary>What the proxy must never get wrong with a streamed answer: bytes, order, timeliness, and endings.</summary>
public sealed class StreamingTests
{
    [Fact]
    public async Task Sse_10000Events_RandomChunkBoundaries_ArriveByteIdenticalInOrder()
    {
        var random = new Random(1234);
        var events = new StringBuilder();
        for (var i = 0; i < 10_000; i++)
            events.Append($"data: {{\"id\":{i},\"delta\":\"{new string((char)('a' + i % 26), random.Next(0, 40))}\"}}\n\n");
        events.Append("data: [DONE]\n\n");
        var expected = Encoding.UTF8.GetBytes(events.ToString());

        await using var upstream = new ScriptedUpstream(async peer =>
        {
            await peer.ReadRequestAsync();
            await peer.SendAsync("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n");
            // Chunk boundaries and socket writes both fall at random places, independent of event boundaries.
            var wire = new List<byte>();
            for (var offset = 0; offset < expected.Length;)
            {
                var size = Math.Min(random.Next(1, 300), expected.Length - offset);
                wire.AddRange(Encoding.ASCII.GetBytes($"{size:x}\r\n"));
                wire.AddRange(expected.AsSpan(offset, size).ToArray());
                wire.AddRange("\r\n"u8.ToArray());
                offset += size;
            }
            wire.AddRange("0\r\n\r\n"u8.ToArray());
            var bytes = wire.ToArray();
            for (var offset = 0; offset < bytes.Length;)
            {
                var size = Math.Min(random.Next(1, 2000), bytes.Length - offset);
                await peer.Socket.SendAsync(bytes.AsMemory(offset, size), SocketFlags.None);
                offset += size;
            }
            await peer.WaitForEofAsync();
        });
        await using var proxy = new ProxyUnderTest(upstream.Address);
        using var client = proxy.Connect();
        await client.SendAsync("POST /v1/chat/completions HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\n{}");
        var response = await client.ReadResponseAsync();
        Assert.Equal("text/event-stream", response.Header("Content-Type"));
        Assert.Equal(expected.Length, response.Body.Length);
        Assert.True(expected.AsSpan().SequenceEqual(response.Body));
    }

    [Fact]
    public async Task EachUpstreamEvent_ReachesClient_BeforeTheNextIsSent()
    {
        // Lock-step: the upstream sends event N+1 only after the client has received event N, so any buffering in the
        // proxy (waiting for more bytes or for the end) would deadlock this test instead of passing it.
        var received = new SemaphoreSlim(0);
        await using var upstream = new ScriptedUpstream(async peer =>
        {
            await peer.ReadRequestAsync();
            await peer.SendAsync("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
            for (var i = 0; i < 20; i++)
            {
                var data = $"data: {i}\n\n";
                await peer.SendAsync($"{data.Length:x}\r\n{data}\r\n");
                Assert.True(await received.WaitAsync(RawClient.Patience), $"event {i} did not reach the client");
            }
            await peer.SendAsync("0\r\n\r\n");
            await peer.WaitForEofAsync();
        });
        await using var proxy = new ProxyUnderTest(upstream.Address);
        using var client = proxy.Connect();
        await client.SendAsync("GET /stream HTTP/1.1\r\nHost: a\r\n\r\n");
        await client.ReadUntilAsync("\r\n\r\n"u8.ToArray());
        for (var i = 0; i < 20; i++)
        {
            var text = Encoding.ASCII.GetString(await client.ReadUntilAsync("\n\n\r\n"u8.ToArray()));
            Assert.EndsWith($"data: {i}\n\n\r\n", text);
            received.Release();
        }
        Assert.Empty(upstream.Errors);
    }

    [Fact]
    public async Task ClientDisconnect_ClosesUpstreamConnection()
    {
        var upstreamSawEof = new TaskCompletionSource();
        await using var upstream = new ScriptedUpstream(async peer =>
        {
            await peer.ReadRequestAsync();
            await peer.SendAsync("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n6\r\ntoken1\r\n");
            // Keeps "generating" until it sees the proxy close the connection.
            await peer.WaitForEofAsync();
            upstreamSawEof.TrySetResult();
        });
        await using var proxy = new ProxyUnderTest(upstream.Address);
        var client = proxy.Connect();
        await client.SendAsync("POST /v1/completions HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\n{}");
        await client.ReadUntilAsync("token1"u8.ToArray());
        client.Dispose();
        await upstreamSawEof.Task.WaitAsync(RawClient.Patience);
        Assert.Equal(ForwardError.Canceled, (await proxy.NextOutcomeAsync()).Error);
    }

    [Fact]
    public async Task ClientDisconnect_WhileWaitingForResponseHead_ClosesUpstreamConnection()
    {
        var requestArrived = new TaskCompletionSource();
        var upstreamSawEof = new TaskCompletionSource();
        await using var upstream = new ScriptedUpstream(async peer =>
        {
            await peer.ReadRequestAsync();
            requestArrived.TrySetResult();
            await peer.WaitForEofAsync();
            upstreamSawEof.TrySetResult();
        });
        await using var proxy = new ProxyUnderTest(upstream.Address);
        var client = proxy.Connect();
        await client.SendAsync("POST /v1/completions HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\n{}");
        await requestArrived.Task.WaitAsync(RawClient.Patience);
        client.Dispose();
        await upstreamSawEof.Task.WaitAsync(RawClient.Patience);
    }

    [Theory]
    [InlineData("chunked")]
    [InlineData("content-length")]
    [InlineData("reset")]
    public async Task UpstreamDiesMidResponse_ClientSeesIncompleteResponse(string framing)
    {
        await using var upstream = new ScriptedUpstream(async peer =>
        {
            await peer.ReadRequestAsync();
            if (framing == "content-length")
                await peer.SendAsync("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\npartial");
            else
                await peer.SendAsync("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n7\r\npartial\r\n");
            await Task.Delay(50);
            if (framing == "reset")
                peer.Reset();
            else
                peer.Socket.Close();
        });
        await using var proxy = new ProxyUnderTest(upstream.Address);
        using var client = proxy.Connect();
        await client.SendAsync("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        // The client gets the head and the partial data, then the connection ends without a terminating chunk or the
        // promised length: it can tell the answer is incomplete.
        var error = await Assert.ThrowsAsync<EndOfStreamException>(() => client.ReadResponseAsync());
        Assert.Contains("closed", error.Message);
        Assert.Equal(ForwardError.ResponseBodyUpstream, (await proxy.NextOutcomeAsync()).Error);
    }

    [Fact]
    public async Task CloseDelimitedUpstream_Reset_IsNotTakenForTheEnd()
    {
        await using var upstream = new ScriptedUpstream(async peer =>
        {
            await peer.ReadRequestAsync();
            await peer.SendAsync("HTTP/1.1 200 OK\r\n\r\npartial");
            await Task.Delay(50);
            peer.Reset();
        });
        await using var proxy = new ProxyUnderTest(upstream.Address);
        using var client = proxy.Connect();
        await client.SendAsync("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        await Assert.ThrowsAsync<EndOfStreamException>(() => client.ReadResponseAsync());
        Assert.Equal(ForwardError.ResponseBodyUpstream, (await proxy.NextOutcomeAsync()).Error);
    }

    [Fact]
    public async Task SlowClient_PausesUpstreamReads_MemoryBounded_OthersStillServed()
    {
        // The upstream offers 64 MiB as fast as it can while the client reads nothing: the proxy must stop reading
        // once its buffers (a pipe's pause threshold plus socket buffers) are full, so the upstream's send stalls.
        var sent = 0L;
        var stalled = new TaskCompletionSource();
        await using var upstream = new ScriptedUpstream(async peer =>
        {
            if ((await peer.ReadRequestAsync())!.Target == "/small")
            {
                await peer.SendAsync("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nsmall");
                return;
            }
            await peer.SendAsync($"HTTP/1.1 200 OK\r\nContent-Length: {64L << 20}\r\n\r\n");
            var block = new byte[64 * 1024];
            while (Interlocked.Read(ref sent) < 64L << 20)
            {
                var send = peer.Socket.SendAsync(block.AsMemory(), SocketFlags.None).AsTask();
                if (await Task.WhenAny(send, Task.Delay(500)) != send)
                {
                    stalled.TrySetResult();
                    await send.WaitAsync(TimeSpan.FromSeconds(30)).ContinueWith(_ => { });
                    return;
                }
                Interlocked.Add(ref sent, await send);
            }
        });
        await using var proxy = new ProxyUnderTest(upstream.Address);
        using var client = proxy.Connect();
        client.Socket.ReceiveBufferSize = 64 * 1024;
        await client.SendAsync("GET /big HTTP/1.1\r\nHost: a\r\n\r\n");
        await stalled.Task.WaitAsync(TimeSpan.FromSeconds(30));
        // Kernel buffers on three sockets plus our 64 KiB pipe: a few MB at most, nowhere near the 64 MiB offered.
        Assert.True(Interlocked.Read(ref sent) < 16L << 20, $"upstream pushed {Interlocked.Read(ref sent)} bytes into a non-reading client");

        // The send waiting for the stalled client holds its socket only, not the one event thread every connection shares.
        using var other = proxy.Connect();
        await other.SendAsync("GET /small HTTP/1.1\r\nHost: a\r\n\r\n");
        Assert.Equal("small", (await other.ReadResponseAsync()).BodyText);
    }
}
