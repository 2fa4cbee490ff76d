using TinySwap.Config;
using TinySwap.Tests.Http.Support;

namespace TinySwap.Tests.Http;

/// <summary>Timeouts (shortened to fractions of a second) and the connection cap, over real sockets.</summary>
public sealed class TimeoutAndLimitTests
{
    [Fact]
    public async Task SlowHeaders_408AndClose()
    {
        await using var server = new TestServer(new EchoHandler(), new HttpLimits { HeadersTimeout = TimeSpan.FromMilliseconds(300) });
        using var client = server.Connect();
        await client.SendAsync("GET / HTTP/1.1\r\nHost: a\r\n");
        var response = await client.ReadResponseAsync();
        Assert.Equal(408, response.Status);
        Assert.Equal("close", response.Header("Connection"));
        Assert.True(await client.IsClosedByServerAsync());
    }

    [Fact]
    public async Task TrickledHeaders_StillTimeOut_BecauseTheLimitCoversTheWholeHead()
    {
        await using var server = new TestServer(new EchoHandler(), new HttpLimits { HeadersTimeout = TimeSpan.FromMilliseconds(300) });
        using var client = server.Connect();
        await client.SendAsync("GET / HTTP/1.1\r\n");
        var sending = Task.Run(async () =>
        {
            for (var i = 0; i < 40; i++)
            {
                try
                {
                    await client.SendAsync($"X-{i}: v\r\n");
                }
                catch (System.Net.Sockets.SocketException)
                {
                    return;
                }
                await Task.Delay(25);
            }
        });
        Assert.Equal(408, (await client.ReadResponseAsync()).Status);
        await sending;
    }

    [Fact]
    public async Task IdleKeepAlive_ClosedQuietly()
    {
        await using var server = new TestServer(new EchoHandler(), new HttpLimits { KeepAliveTimeout = TimeSpan.FromMilliseconds(300) });
        using var client = server.Connect();
        await client.SendAsync("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        Assert.Equal(200, (await client.ReadResponseAsync()).Status);
        // No 408 for a client that simply stopped asking: just the close.
        Assert.True(await client.IsClosedByServerAsync());
    }

    [Fact]
    public async Task SlowBody_408()
    {
        var limits = new HttpLimits { MinBodyBytesPerSecond = 1000, MinBodyRateGrace = TimeSpan.FromMilliseconds(300) };
        await using var server = new TestServer(new EchoHandler(), limits);
        using var client = server.Connect();
        await client.SendAsync("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 100000\r\n\r\nsome");
        var response = await client.ReadResponseAsync();
        Assert.Equal(408, response.Status);
        Assert.True(await client.IsClosedByServerAsync());
    }

    [Fact]
    public async Task BodyAtHealthyRate_NotTimedOut()
    {
        var limits = new HttpLimits { MinBodyBytesPerSecond = 100, MinBodyRateGrace = TimeSpan.FromMilliseconds(200) };
        await using var server = new TestServer(new EchoHandler(), limits);
        using var client = server.Connect();
        await client.SendAsync("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 2000\r\n\r\n");
        for (var i = 0; i < 10; i++)
        {
            await client.SendAsync(new string('x', 200));
            await Task.Delay(50);
        }
        var response = await client.ReadResponseAsync();
        Assert.Equal(200, response.Status);
        Assert.Equal(2000, response.Body.Length);
    }

    [Fact]
    public async Task Stop_HandlerThatIgnoresTheAbort_StopStillCompletes_AndSaysSo()
    {
        var inHandler = new TaskCompletionSource();
        var never = new TaskCompletionSource();
        var server = new TestServer(async _ =>
        {
            inHandler.SetResult();
            await never.Task;
        }, configure: o => o with { ShutdownTimeout = TimeSpan.FromMilliseconds(200) });
        using var client = server.Connect();
        await client.SendAsync("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        await inHandler.Task.WaitAsync(RawClient.Patience);

        await server.DisposeAsync().AsTask().WaitAsync(RawClient.Patience);

        Assert.Contains(server.Log.Lines, line => line.Contains("still running after being aborted", StringComparison.Ordinal));
        never.SetResult();
    }

    [Fact]
    public async Task ConnectionCap_ExcessGets503()
    {
        var release = new TaskCompletionSource();
        var inHandler = new SemaphoreSlim(0);
        await using var server = new TestServer(async exchange =>
        {
            inHandler.Release();
            await release.Task;
            exchange.Response.Write("ok"u8);
            await exchange.Response.CompleteAsync();
        }, new HttpLimits { MaxConnections = 2 });
        using var first = server.Connect();
        using var second = server.Connect();
        await first.SendAsync("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        await second.SendAsync("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        Assert.True(await inHandler.WaitAsync(RawClient.Patience));
        Assert.True(await inHandler.WaitAsync(RawClient.Patience));
        using (var third = server.Connect())
        {
            await third.SendAsync("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
            var refused = await third.ReadResponseAsync();
            Assert.Equal(503, refused.Status);
            Assert.Equal("1", refused.Header("Retry-After"));
        }
        release.SetResult();
        Assert.Equal(200, (await first.ReadResponseAsync()).Status);
        Assert.Equal(200, (await second.ReadResponseAsync()).Status);
    }

    [Fact]
    public async Task ConnectionCap_RefusalFlood_WarnsAtMostOncePerSecond()
    {
        var release = new TaskCompletionSource();
        var inHandler = new TaskCompletionSource();
        await using var server = new TestServer(async exchange =>
        {
            inHandler.TrySetResult();
            await release.Task;
            await exchange.Response.CompleteAsync();
        }, new HttpLimits { MaxConnections = 1 });
        using var holder = server.Connect();
        await holder.SendAsync("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        await inHandler.Task.WaitAsync(RawClient.Patience);

        const int refusals = 20;
        for (var i = 0; i < refusals; i++)
        {
            using var refused = server.Connect();
            Assert.Equal(503, (await refused.ReadResponseAsync()).Status);
        }
        release.SetResult();

        // The first refusal is logged at once; the flood behind it is folded into later lines (one a second at most).
        var warnings = server.Log.Lines.Where(line => line.Contains("Connection limit", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(warnings);
        Assert.Contains("answered 503 to 1 connection(s)", warnings[0]);
        Assert.True(warnings.Count < refusals, $"{warnings.Count} warnings for {refusals} refusals");
    }

    [Fact]
    public async Task PipelinedFlood_MemoryBoundedByPipe_NotByWhatTheClientSends()
    {
        // A handler that never reads its body: the client keeps sending; the server's receive loop must pause at the
        // pipe threshold so the client's send stalls instead of filling our memory.
        var gate = new TaskCompletionSource();
        await using var server = new TestServer(async exchange =>
        {
            await gate.Task;
            await exchange.Response.CompleteAsync();
        });
        using var client = server.Connect();
        await client.SendAsync("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 60000000\r\n\r\n");
        client.Socket.SendBufferSize = 64 * 1024;
        var block = new byte[64 * 1024];
        long sent = 0;
        while (true)
        {
            var send = client.Socket.SendAsync(block.AsMemory(), System.Net.Sockets.SocketFlags.None).AsTask();
            if (await Task.WhenAny(send, Task.Delay(500)) != send)
                break;
            sent += await send;
            Assert.True(sent < 32L << 20, "the server kept accepting bytes nobody reads");
        }
        gate.SetResult();
    }
}
