using System.Buffers;
using System.Text;
using TinySwap.Proxy.Forwarding;
using TinySwap.Tests.Http.Support;

namespace TinySwap.Tests.Http;

public sealed class ForwarderTests
{
    private static string Ok(string body, string extra = "") => $"HTTP/1.1 200 OK\r\nContent-Length: {body.Length}\r\n{extra}\r\n{body}";

    [Fact]
    public async Task Get_HeadersRewritten_HopByHopStrippedBothWays()
    {
        var seen = new TaskCompletionSource<UpstreamRequest>();
        await using var upstream = new ScriptedUpstream(async peer =>
        {
            seen.TrySetResult((await peer.ReadRequestAsync())!);
            await peer.SendAsync(Ok("hi", "Connection: X-Up\r\nX-Up: secret\r\nKeep-Alive: timeout=5\r\nX-Kept: yes\r\n"));
        });
        await using var proxy = new ProxyUnderTest(upstream.Address);
        using var client = proxy.Connect();
        await client.SendAsync("GET /v1/models?x=1 HTTP/1.1\r\nHost: front\r\nConnection: keep-alive, X-Custom\r\nX-Custom: drop\r\n" +
                               "Keep-Alive: 5\r\nTE: trailers\r\nUpgrade: h2c\r\nProxy-Connection: x\r\nX-Forwarded-For: 10.9.9.9\r\n" +
                               "Expect: 100-continue\r\nAuthorization: Bearer k\r\n\r\n");
        var response = await client.ReadResponseAsync();
        Assert.Equal(200, response.Status);
        Assert.Equal("hi", response.BodyText);
        Assert.Equal("yes", response.Header("X-Kept"));
        Assert.Null(response.Header("X-Up"));
        Assert.Null(response.Header("Keep-Alive"));

        var request = await seen.Task.WaitAsync(RawClient.Patience);
        Assert.Equal("GET", request.Method);
        Assert.Equal("/v1/models?x=1", request.Target);
        Assert.Equal($"127.0.0.1:{upstream.Port}", request.Header("Host"));
        Assert.Equal("Bearer k", request.Header("Authorization"));
        Assert.Equal("10.9.9.9, 127.0.0.1", request.Header("X-Forwarded-For"));
        Assert.Equal("http", request.Header("X-Forwarded-Proto"));
        foreach (var hop in new[] { "Connection", "X-Custom", "Keep-Alive", "TE", "Upgrade", "Proxy-Connection", "Expect", "Content-Length", "Transfer-Encoding" })
            Assert.Null(request.Header(hop));
        Assert.Single(request.Headers, h => h.Key.Equals("Host", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task KeepAlive_UpstreamConnectionReused()
    {
        await using var upstream = new ScriptedUpstream(async peer =>
        {
            while (await peer.ReadRequestAsync() is { } request)
                await peer.SendAsync(Ok(request.Target));
        });
        await using var proxy = new ProxyUnderTest(upstream.Address);
        using var client = proxy.Connect();
        for (var i = 0; i < 5; i++)
        {
            await client.SendAsync($"GET /{i} HTTP/1.1\r\nHost: a\r\n\r\n");
            Assert.Equal($"/{i}", (await client.ReadResponseAsync()).BodyText);
        }
        Assert.Equal(1, upstream.Accepted);
    }

    [Fact]
    public async Task ChunkedUpstream_ChunkedToHttp11_CloseDelimitedToHttp10()
    {
        await using var upstream = new ScriptedUpstream(async peer =>
        {
            while (await peer.ReadRequestAsync() is not null)
                await peer.SendAsync("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;ext=1\r\nde\r\n0\r\nX-T: 1\r\n\r\n");
        });
        await using var proxy = new ProxyUnderTest(upstream.Address);
        using (var client = proxy.Connect())
        {
            await client.SendAsync("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
            var response = await client.ReadResponseAsync();
            Assert.Equal("chunked", response.Header("Transfer-Encoding"));
            Assert.Equal("abcde", response.BodyText);
        }
        using (var client = proxy.Connect())
        {
            await client.SendAsync("GET / HTTP/1.0\r\n\r\n");
            var response = await client.ReadResponseAsync();
            Assert.Null(response.Header("Transfer-Encoding"));
            Assert.Equal("abcde", response.BodyText);
        }
    }

    [Fact]
    public async Task ChunkedUpstream_SentInAwkwardPieces_EveryByteReachesTheClient_AndTheConnectionIsReused()
    {
        string[] parts =
        [
            "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\nf",
            "\r\ndata: {\"n\":1}\n\n\r\nf\r\ndata: {\"n\":2}\n\n\r\nf\r\ndata:",
            " {\"n\":3}\n\n\r\n0\r\nX-Trail",
            "er: 1\r\n\r\n",
        ];
        await using var upstream = new ScriptedUpstream(async peer =>
        {
            while (await peer.ReadRequestAsync() is not null)
            {
                foreach (var part in parts)
                    await peer.SendAsync(part);
            }
        });
        await using var proxy = new ProxyUnderTest(upstream.Address);
        using var client = proxy.Connect();
        for (var i = 0; i < 2; i++)
        {
            await client.SendAsync("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
            var response = await client.ReadResponseAsync();
            Assert.Equal("data: {\"n\":1}\n\ndata: {\"n\":2}\n\ndata: {\"n\":3}\n\n", response.BodyText);
        }
        Assert.Equal(1, upstream.Accepted);
    }

    [Fact]
    public async Task CloseDelimitedUpstream_ReachesClientChunked_AndConnectionNotReused()
    {
        await using var upstream = new ScriptedUpstream(async peer =>
        {
            await peer.ReadRequestAsync();
            await peer.SendAsync("HTTP/1.1 200 OK\r\n\r\nuntil the end");
            peer.Socket.Shutdown(System.Net.Sockets.SocketShutdown.Send);
            await peer.WaitForEofAsync();
        });
        await using var proxy = new ProxyUnderTest(upstream.Address);
        using var client = proxy.Connect();
        for (var i = 0; i < 2; i++)
        {
            await client.SendAsync("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
            var response = await client.ReadResponseAsync();
            Assert.Equal("chunked", response.Header("Transfer-Encoding"));
            Assert.Equal("until the end", response.BodyText);
        }
        Assert.Equal(2, upstream.Accepted);
    }

    public static TheoryData<string, string> MalformedResponses() => new()
    {
        { "garbage status line", "HTTP/1.1 2x0 OK\r\n\r\n" },
        { "unknown version", "HTTP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n" },
        { "status line bare LF", "HTTP/1.1 200 OK\nContent-Length: 0\r\n\r\n" },
        { "header without colon", "HTTP/1.1 200 OK\r\nBroken\r\n\r\n" },
        { "bare CR in value", "HTTP/1.1 200 OK\r\nX: a\rb\r\n\r\n" },
        { "obs-fold", "HTTP/1.1 200 OK\r\nX: a\r\n b\r\n\r\n" },
        { "CL with TE", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" },
        { "two CL", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nab" },
        { "CL not a number", "HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\n" },
        { "TE not chunked", "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n" },
        { "closed mid head", "HTTP/1.1 200 OK\r\nContent-Le" },
        { "closed mid body before any byte", "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n" },
        { "bad first chunk", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n" },
        { "101 unasked", "HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\n\r\n" },
    };

    [Theory]
    [MemberData(nameof(MalformedResponses))]
    public async Task MalformedUpstreamResponse_502_BeforeAnyByte_OrAbortAfter(string rule, string bytes)
    {
        await using var upstream = new ScriptedUpstream(async peer =>
        {
            if (await peer.ReadRequestAsync() is null)
                return;
            await peer.SendAsync(bytes);
            peer.Socket.Shutdown(System.Net.Sockets.SocketShutdown.Send);
            await peer.WaitForEofAsync();
        });
        await using var proxy = new ProxyUnderTest(upstream.Address);
        using var client = proxy.Connect();
        await client.SendAsync("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        var outcome = await proxy.NextOutcomeAsync();
        if (outcome.Error == ForwardError.ResponseBodyUpstream)
        {
            // The head was fine and went out at once; the body then broke: the client must see an incomplete response.
            await Assert.ThrowsAsync<EndOfStreamException>(() => client.ReadResponseAsync());
            return;
        }
        var response = await client.ReadResponseAsync();
        Assert.True(response.Status == 502, $"{rule}: {response.Status} {response.BodyText}");
        Assert.Contains("\"type\":\"server_error\"", response.BodyText);
        Assert.Equal(ForwardError.UpstreamResponse, outcome.Error);
        // The broken connection is not pooled.
        Assert.Equal(0, proxy.Pool.IdleCount);
    }

    [Fact]
    public async Task UpstreamRefusesConnection_502()
    {
        var port = TinySwap.Tests.Support.FreePort.Next();
        await using var proxy = new ProxyUnderTest(new Uri($"http://127.0.0.1:{port}"));
        using var client = proxy.Connect();
        await client.SendAsync("POST /v1/chat/completions HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\n{}");
        var response = await client.ReadResponseAsync();
        Assert.Equal(502, response.Status);
        Assert.StartsWith("{\"error\":{\"message\":", response.BodyText);
        Assert.Equal(ForwardError.UpstreamConnect, (await proxy.NextOutcomeAsync()).Error);
    }

    [Fact]
    public async Task NoResponseHeadInTime_504()
    {
        await using var upstream = new ScriptedUpstream(async peer =>
        {
            await peer.ReadRequestAsync();
            await peer.WaitForEofAsync();
        });
        await using var proxy = new ProxyUnderTest(upstream.Address, _ => new ForwardRequest { ResponseHeadersTimeout = TimeSpan.FromMilliseconds(200) });
        using var client = proxy.Connect();
        await client.SendAsync("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        var response = await client.ReadResponseAsync();
        Assert.Equal(504, response.Status);
        Assert.Contains("gateway_timeout", response.BodyText);
    }

    [Fact]
    public async Task PooledConnectionClosedByUpstreamWhileIdle_NextRequestUsesFreshOne()
    {
        var firstClosed = new TaskCompletionSource();
        await using var upstream = new ScriptedUpstream(async peer =>
        {
            var request = await peer.ReadRequestAsync();
            await peer.SendAsync(Ok(request!.Target));
            if (peer.Number == 1)
            {
                peer.Socket.Close();
                firstClosed.TrySetResult();
                return;
            }
            await peer.WaitForEofAsync();
        });
        await using var proxy = new ProxyUnderTest(upstream.Address);
        using var client = proxy.Connect();
        await client.SendAsync("POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\n\r\nx");
        Assert.Equal("/a", (await client.ReadResponseAsync()).BodyText);
        await firstClosed.Task.WaitAsync(RawClient.Patience);
        // Wait until our side has noticed the close (its receive loop ends) — the signal the pool checks on rent.
        var deadline = DateTime.UtcNow + RawClient.Patience;
        while (proxy.Pool.OpenIdleCount > 0 && DateTime.UtcNow < deadline)
            await Task.Delay(5);
        await client.SendAsync("POST /b HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\n\r\ny");
        Assert.Equal("/b", (await client.ReadResponseAsync()).BodyText);
        Assert.Equal(2, upstream.Accepted);
    }

    [Theory]
    [InlineData("GET", true)]
    [InlineData("POST", false)]
    public async Task ReusedConnectionClosedWithoutAnswer_RetriedOnlyWhenIdempotent(string method, bool retried)
    {
        await using var upstream = new ScriptedUpstream(async peer =>
        {
            var first = await peer.ReadRequestAsync();
            await peer.SendAsync(Ok("first"));
            if (peer.Number == 1)
            {
                // Takes the second request, then closes without a byte of answer: the race a keep-alive timeout causes.
                await peer.ReadRequestAsync();
                peer.Socket.Close();
                return;
            }
            _ = first;
            await peer.WaitForEofAsync();
        });
        await using var proxy = new ProxyUnderTest(upstream.Address);
        using var client = proxy.Connect();
        var body = method == "POST" ? "Content-Length: 0\r\n" : "";
        await client.SendAsync($"{method} / HTTP/1.1\r\nHost: a\r\n{body}\r\n");
        Assert.Equal("first", (await client.ReadResponseAsync()).BodyText);
        await proxy.NextOutcomeAsync();
        await client.SendAsync($"{method} / HTTP/1.1\r\nHost: a\r\n{body}\r\n");
        var response = await client.ReadResponseAsync();
        if (retried)
        {
            Assert.Equal("first", response.BodyText);
            Assert.Equal(2, upstream.Accepted);
        }
        else
        {
            Assert.Equal(502, response.Status);
            Assert.Equal(1, upstream.Accepted);
        }
    }

    [Fact]
    public async Task ReplacementBody_PathAndHeaders_SentExactly()
    {
        var seen = new TaskCompletionSource<UpstreamRequest>();
        await using var upstream = new ScriptedUpstream(async peer =>
        {
            seen.TrySetResult((await peer.ReadRequestAsync())!);
            await peer.SendAsync(Ok("ok"));
        });
        var rewritten = Encoding.UTF8.GetBytes("{\"model\":\"real-name\",\"n\":1}");
        await using var proxy = new ProxyUnderTest(new Uri($"http://127.0.0.1:{upstream.Port}/prefix/"), exchange =>
        {
            // The glue reads the whole JSON body before deciding; mimic that.
            while (!exchange.RequestBody.IsCompleted)
            {
                var read = exchange.RequestBody.ReadAsync().AsTask().GetAwaiter().GetResult();
                exchange.RequestBody.AdvanceTo(read.Buffer.End);
            }
            return new ForwardRequest
            {
                PathAndQuery = "/v1/chat/completions?rewritten=1",
                Body = rewritten,
                Headers = [new("X-Added", "1"), new("Authorization", null)],
            };
        });
        using var client = proxy.Connect();
        await client.SendAsync("POST /upstream/m/v1/chat/completions HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer k\r\n" +
                               "Transfer-Encoding: chunked\r\n\r\n5\r\n{\"mod\r\n0\r\n\r\n");
        Assert.Equal("ok", (await client.ReadResponseAsync()).BodyText);
        var request = await seen.Task.WaitAsync(RawClient.Patience);
        Assert.Equal("/prefix/v1/chat/completions?rewritten=1", request.Target);
        Assert.Equal(rewritten.Length.ToString(), request.Header("Content-Length"));
        Assert.Null(request.Header("Transfer-Encoding"));
        Assert.Equal("{\"model\":\"real-name\",\"n\":1}", request.BodyText);
        Assert.Equal("1", request.Header("X-Added"));
        Assert.Null(request.Header("Authorization"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task BufferedPrefix_ThenRestStreamed(bool chunkedClient)
    {
        var seen = new TaskCompletionSource<UpstreamRequest>();
        await using var upstream = new ScriptedUpstream(async peer =>
        {
            seen.TrySetResult((await peer.ReadRequestAsync())!);
            await peer.SendAsync(Ok("ok"));
        });
        await using var proxy = new ProxyUnderTest(upstream.Address, exchange =>
        {
            // Consume exactly 4 bytes, as multipart model extraction would consume what it buffered.
            var read = exchange.RequestBody.ReadAsync().AsTask().GetAwaiter().GetResult();
            var prefix = read.Buffer.Slice(0, 4).ToArray();
            exchange.RequestBody.AdvanceTo(read.Buffer.GetPosition(4));
            return new ForwardRequest { BodyPrefix = prefix };
        });
        using var client = proxy.Connect();
        var body = "--boundary model=x rest of a long body";
        await client.SendAsync(chunkedClient
            ? $"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n{body.Length:x}\r\n{body}\r\n0\r\n\r\n"
            : $"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: {body.Length}\r\n\r\n{body}");
        Assert.Equal("ok", (await client.ReadResponseAsync()).BodyText);
        var request = await seen.Task.WaitAsync(RawClient.Patience);
        Assert.Equal(body, request.BodyText);
        Assert.Equal(chunkedClient ? "chunked" : body.Length.ToString(), chunkedClient ? request.Header("Transfer-Encoding") : request.Header("Content-Length"));
    }

    [Fact]
    public async Task ChunkedRequestBodyOverLimit_413FromForwarder()
    {
        await using var upstream = new ScriptedUpstream(async peer =>
        {
            await peer.ReadRequestAsync();
            await peer.SendAsync(Ok("never"));
        });
        await using var proxy = new ProxyUnderTest(upstream.Address, limits: new TinySwap.Config.HttpLimits { MaxBodyBytes = 10 });
        using var client = proxy.Connect();
        await client.SendAsync("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nabcde\r\n10\r\n");
        var response = await client.ReadResponseAsync();
        Assert.Equal(413, response.Status);
        Assert.Equal("close", response.Header("Connection"));
        Assert.Equal(ForwardError.RequestBody, (await proxy.NextOutcomeAsync()).Error);
    }

    [Fact]
    public async Task HealthGet_ReportsStatus_OrError()
    {
        await using var upstream = new ScriptedUpstream(async peer =>
        {
            while (await peer.ReadRequestAsync() is { } request)
                await peer.SendAsync(request.Target == "/health" ? Ok("{\"status\":\"ok\"}") : "HTTP/1.1 503 Loading\r\nContent-Length: 0\r\n\r\n");
        });
        await using var client = new TinySwap.Http.Upstream.UpstreamClient();
        var ok = await client.GetAsync(new Uri($"http://127.0.0.1:{upstream.Port}/health"), RawClient.Patience, CancellationToken.None);
        Assert.Equal(200, ok.StatusCode);
        Assert.True(ok.IsSuccess);
        var loading = await client.GetAsync(new Uri($"http://127.0.0.1:{upstream.Port}/other"), RawClient.Patience, CancellationToken.None);
        Assert.Equal(503, loading.StatusCode);
        var refused = await client.GetAsync(new Uri($"http://127.0.0.1:{TinySwap.Tests.Support.FreePort.Next()}/health"), RawClient.Patience, CancellationToken.None);
        Assert.Equal(0, refused.StatusCode);
        Assert.NotNull(refused.Error);
    }

    [Fact]
    public async Task IdlePooledConnection_ClosedAfterIdleTimeout()
    {
        var upstreamSawEof = new TaskCompletionSource();
        await using var upstream = new ScriptedUpstream(async peer =>
        {
            await peer.ReadRequestAsync();
            await peer.SendAsync(Ok("ok"));
            await peer.WaitForEofAsync();
            upstreamSawEof.TrySetResult();
        });
        var options = new TinySwap.Http.Upstream.UpstreamClientOptions
        {
            IdleTimeout = TimeSpan.FromMilliseconds(200),
            HeartbeatInterval = TimeSpan.FromMilliseconds(50),
        };
        await using var proxy = new ProxyUnderTest(upstream.Address, options: options);
        using var client = proxy.Connect();
        await client.SendAsync("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        Assert.Equal("ok", (await client.ReadResponseAsync()).BodyText);
        await upstreamSawEof.Task.WaitAsync(RawClient.Patience);
        Assert.Equal(0, proxy.Pool.IdleCount);
    }
}
