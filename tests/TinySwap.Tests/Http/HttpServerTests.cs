using System.Collections.Concurrent;
using System.Text;
using TinySwap.Http.Server;
using TinySwap.Tests.Http.Support;

namespace TinySwap.Tests.Http;

public sealed class HttpServerTests
{
    [Fact]
    public async Task Get_KeepAlive_ReusesConnection()
    {
        var echo = new EchoHandler();
        await using var server = new TestServer(echo);
        using var client = server.Connect();
        for (var i = 1; i <= 3; i++)
        {
            await client.SendAsync($"GET /x?q={i} HTTP/1.1\r\nHost: a\r\n\r\n");
            var response = await client.ReadResponseAsync();
            Assert.Equal(200, response.Status);
            Assert.Equal($"/x?q={i}", response.Header("X-Target"));
            Assert.Equal(i.ToString(), response.Header("X-Count"));
            Assert.Null(response.Header("Connection"));
        }
    }

    /// <summary>
    /// A request that is already waiting when its connection is accepted is still handled on the event thread, like
    /// every later one: handled on the accepting thread, it would race the loop (a finished request releasing its
    /// place against a new one on a fresh connection).
    /// </summary>
    [Fact]
    public async Task FirstRequestOfANewConnection_IsHandledOnTheEventThread()
    {
        var threads = new ConcurrentQueue<string?>();
        await using var server = new TestServer(exchange =>
        {
            threads.Enqueue(Thread.CurrentThread.Name);
            exchange.Response.StatusCode = 204;
            return exchange.Response.CompleteAsync();
        });
        for (var i = 0; i < 20; i++)
        {
            using var client = server.Connect();
            await client.SendAsync("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
            Assert.Equal(204, (await client.ReadResponseAsync()).Status);
        }

        Assert.All(threads, name => Assert.Equal("tinyswap events", name));
    }

    [Fact]
    public async Task Scratch_IsKeptAcrossAConnectionsRequests_AndNotSharedWithAnother()
    {
        var seen = new List<(int Connection, object Scratch)>();
        var connection = 0;
        await using var server = new TestServer(exchange =>
        {
            lock (seen)
                seen.Add((connection, exchange.Scratch<List<int>>()));
            exchange.Response.StatusCode = 204;
            return exchange.Response.CompleteAsync();
        });
        for (connection = 1; connection <= 2; connection++)
        {
            using var client = server.Connect();
            for (var i = 0; i < 2; i++)
            {
                await client.SendAsync("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
                Assert.Equal(204, (await client.ReadResponseAsync()).Status);
            }
        }

        Assert.Equal(4, seen.Count);
        Assert.Same(seen[0].Scratch, seen[1].Scratch);
        Assert.Same(seen[2].Scratch, seen[3].Scratch);
        Assert.NotSame(seen[0].Scratch, seen[2].Scratch);
    }

    [Fact]
    public async Task Pipelined_RequestsAnsweredInOrder()
    {
        var echo = new EchoHandler();
        await using var server = new TestServer(echo);
        using var client = server.Connect();
        var batch = new StringBuilder();
        for (var i = 0; i < 20; i++)
            batch.Append($"POST /p{i} HTTP/1.1\r\nHost: a\r\nContent-Length: {i.ToString().Length}\r\n\r\n{i}");
        batch.Append("POST /chunked HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n");
        batch.Append("GET /last HTTP/1.1\r\nHost: a\r\n\r\n");
        await client.SendAsync(batch.ToString());
        for (var i = 0; i < 20; i++)
        {
            var response = await client.ReadResponseAsync();
            Assert.Equal($"/p{i}", response.Header("X-Target"));
            Assert.Equal(i.ToString(), response.BodyText);
        }
        Assert.Equal("abc", (await client.ReadResponseAsync()).BodyText);
        Assert.Equal("/last", (await client.ReadResponseAsync()).Header("X-Target"));
    }

    [Fact]
    public async Task ChunkedRequest_IsDecoded_ExtensionsAndTrailersIgnored()
    {
        await using var server = new TestServer(new EchoHandler());
        using var client = server.Connect();
        await client.SendAsync("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n" +
                               "5;name=value;q=\"quoted \\\" ok\"\r\nhello\r\n001;x\r\n \r\n0\r\nX-Trailer: t\r\nContent-Length: 99\r\n\r\n");
        var response = await client.ReadResponseAsync();
        Assert.Equal(200, response.Status);
        Assert.Equal("hello ", response.BodyText);
        // The trailer's Content-Length was not applied: the connection still parses the next request correctly.
        await client.SendAsync("GET /next HTTP/1.1\r\nHost: a\r\n\r\n");
        Assert.Equal("/next", (await client.ReadResponseAsync()).Header("X-Target"));
    }

    [Fact]
    public async Task Http10_ClosesUnlessKeepAliveAsked()
    {
        await using var server = new TestServer(new EchoHandler());
        using (var client = server.Connect())
        {
            await client.SendAsync("GET /a HTTP/1.0\r\n\r\n");
            var response = await client.ReadResponseAsync();
            Assert.True(200 == response.Status, server.Log.ToString());
            Assert.True(await client.IsClosedByServerAsync());
        }
        using (var client = server.Connect())
        {
            await client.SendAsync("GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            var response = await client.ReadResponseAsync();
            Assert.Equal("keep-alive", response.Header("Connection"));
            await client.SendAsync("GET /b HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            Assert.Equal("/b", (await client.ReadResponseAsync()).Header("X-Target"));
        }
    }

    [Fact]
    public async Task Http10_StreamedResponse_IsCloseDelimited()
    {
        await using var server = new TestServer(async exchange =>
        {
            exchange.Response.Write("part1 "u8);
            await exchange.Response.FlushAsync();
            exchange.Response.Write("part2"u8);
            await exchange.Response.CompleteAsync();
        });
        using var client = server.Connect();
        await client.SendAsync("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        var response = await client.ReadResponseAsync();
        Assert.Null(response.Header("Transfer-Encoding"));
        Assert.Null(response.Header("Content-Length"));
        Assert.Equal("part1 part2", response.BodyText);
    }

    [Fact]
    public async Task StreamedResponse_Http11_IsChunked_ViaGetMemoryAndWrite()
    {
        await using var server = new TestServer(async exchange =>
        {
            var memory = exchange.Response.GetMemory(5);
            "hello"u8.CopyTo(memory.Span);
            exchange.Response.Advance(5);
            await exchange.Response.FlushAsync();
            exchange.Response.Write(" world"u8);
            await exchange.Response.CompleteAsync();
        });
        using var client = server.Connect();
        await client.SendAsync("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        var response = await client.ReadResponseAsync();
        Assert.Equal("chunked", response.Header("Transfer-Encoding"));
        Assert.Equal("hello world", response.BodyText);
    }

    [Fact]
    public async Task Head_SendsContentLengthWithoutBody()
    {
        await using var server = new TestServer(async exchange =>
        {
            exchange.Response.ContentLength = 5;
            exchange.Response.Write("hello"u8);
            await exchange.Response.CompleteAsync();
        });
        using var client = server.Connect();
        await client.SendAsync("HEAD / HTTP/1.1\r\nHost: a\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n");
        var head = await client.ReadResponseAsync(headRequest: true);
        Assert.Equal("5", head.Header("Content-Length"));
        Assert.Equal("hello", (await client.ReadResponseAsync()).BodyText);
    }

    [Fact]
    public async Task ExpectContinue_100SentOnFirstBodyRead()
    {
        await using var server = new TestServer(new EchoHandler());
        using var client = server.Connect();
        await client.SendAsync("POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n");
        var interim = await client.ReadResponseAsync(keepInterim: true);
        Assert.Equal(100, interim.Status);
        await client.SendAsync("abc");
        var response = await client.ReadResponseAsync();
        Assert.Equal("abc", response.BodyText);
    }

    [Fact]
    public async Task ExpectContinue_EarlyResponse_No100_ConnectionClosed()
    {
        await using var server = new TestServer(exchange => ErrorResponse.WriteAsync(exchange.Response, 401, "no"));
        using var client = server.Connect();
        await client.SendAsync("POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 100000\r\n\r\n");
        var response = await client.ReadResponseAsync(keepInterim: true);
        Assert.Equal(401, response.Status);
        Assert.Equal("close", response.Header("Connection"));
        // The body the client sends anyway is never parsed as a request: no second response, just the close.
        await client.SendAsync("GET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n");
        Assert.True(await client.IsClosedByServerAsync());
    }

    [Fact]
    public async Task EarlyResponse_SmallBody_IsDrained_NotParsedAsRequest()
    {
        var echo = new EchoHandler();
        var calls = 0;
        await using var server = new TestServer(exchange =>
            Interlocked.Increment(ref calls) == 1
                ? ErrorResponse.WriteAsync(exchange.Response, 404, "nope")
                : echo.HandleAsync(exchange));
        using var client = server.Connect();
        const string smuggled = "GET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n";
        await client.SendAsync($"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: {smuggled.Length}\r\n\r\n{smuggled}");
        var first = await client.ReadResponseAsync();
        Assert.Equal(404, first.Status);
        Assert.Null(first.Header("Connection"));
        await client.SendAsync("GET /real HTTP/1.1\r\nHost: a\r\n\r\n");
        var second = await client.ReadResponseAsync();
        Assert.Equal("/real", second.Header("X-Target"));
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task EarlyResponse_LargeBody_ClosesConnection()
    {
        await using var server = new TestServer(exchange => ErrorResponse.WriteAsync(exchange.Response, 404, "nope"),
            configure: o => o with { DrainLimitBytes = 1024 });
        using var client = server.Connect();
        await client.SendAsync("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 100000\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n");
        var response = await client.ReadResponseAsync();
        Assert.Equal(404, response.Status);
        Assert.Equal("close", response.Header("Connection"));
        Assert.True(await client.IsClosedByServerAsync());
    }

    [Fact]
    public async Task HandlerThrows_BeforeResponse_500()
    {
        await using var server = new TestServer(_ => throw new InvalidOperationException("boom"));
        using var client = server.Connect();
        await client.SendAsync("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        var response = await client.ReadResponseAsync();
        Assert.Equal(500, response.Status);
        Assert.Contains("\"error\"", response.BodyText);
    }

    [Fact]
    public async Task ShortBody_ForDeclaredContentLength_ResetsConnection()
    {
        await using var server = new TestServer(async exchange =>
        {
            exchange.Response.ContentLength = 10;
            exchange.Response.Write("short"u8);
            await exchange.Response.CompleteAsync();
        });
        using var client = server.Connect();
        await client.SendAsync("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        await Assert.ThrowsAsync<EndOfStreamException>(() => client.ReadResponseAsync());
    }

    [Fact]
    public async Task ClientDisconnect_FiresAbortedToken()
    {
        var aborted = new TaskCompletionSource();
        var started = new TaskCompletionSource();
        await using var server = new TestServer(async exchange =>
        {
            exchange.Aborted.Register(() => aborted.TrySetResult());
            started.TrySetResult();
            await aborted.Task;
        });
        var client = server.Connect();
        await client.SendAsync("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        await started.Task.WaitAsync(RawClient.Patience);
        client.Dispose();
        await aborted.Task.WaitAsync(RawClient.Patience);
    }

    [Fact]
    public async Task Stop_ClosesIdleConnections_FinishesInFlightRequests()
    {
        var release = new TaskCompletionSource();
        var inHandler = new TaskCompletionSource();
        var server = new TestServer(async exchange =>
        {
            if (exchange.Request.Path.SequenceEqual("/slow"u8))
            {
                inHandler.TrySetResult();
                await release.Task;
            }
            await ErrorResponse.WriteAsync(exchange.Response, 200, "done");
        });
        await using var _ = server;
        using var idle = server.Connect();
        await idle.SendAsync("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        Assert.Equal(200, (await idle.ReadResponseAsync()).Status);
        using var busy = server.Connect();
        await busy.SendAsync("GET /slow HTTP/1.1\r\nHost: a\r\n\r\n");
        await inHandler.Task.WaitAsync(RawClient.Patience);

        var stopping = server.Server.StopAsync();
        Assert.True(await idle.IsClosedByServerAsync());
        release.SetResult();
        var response = await busy.ReadResponseAsync();
        Assert.Equal(200, response.Status);
        Assert.Equal("close", response.Header("Connection"));
        await stopping.WaitAsync(RawClient.Patience);
    }
}
