using TinySwap.Tests.Support;

namespace TinySwap.Tests.FakeUpstream;

/// <summary>The fake's own HTTP/1.1 server: framing, keep-alive and leniency.</summary>
public sealed class FakeUpstreamHttpTests(SharedFakeUpstream shared) : IClassFixture<SharedFakeUpstream>
{
    private int Port => shared.Fake.Port;

    [Fact]
    public async Task KeepAlive_ServesSeveralRequestsOnOneConnection()
    {
        using var connection = await RawHttpConnection.OpenAsync(Port);
        for (var i = 0; i < 3; i++)
        {
            await connection.SendRequestAsync("POST", "/v1/chat/completions", """{"model":"k"}"""u8.ToArray(), "application/json");
            Assert.Equal(200, (await connection.ReadResponseAsync()).Status);
        }
        await connection.SendRequestAsync("GET", "/echo");
        Assert.Equal("echo", (await connection.ReadResponseAsync()).Json().GetProperty("route").GetString());
    }

    [Fact]
    public async Task ChunkedRequestBody_IsDecoded()
    {
        using var connection = await RawHttpConnection.OpenAsync(Port);
        await connection.SendAsync("POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" +
                                   "5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nTrailer: t\r\n\r\n");
        var json = (await connection.ReadResponseAsync()).Json();
        Assert.Equal(11, json.GetProperty("bytes").GetInt32());
        Assert.Equal(FakeUpstreamRouteTests.Fnv1a64Hex("hello world"u8), json.GetProperty("fnv1a64").GetString());

        await connection.SendRequestAsync("GET", "/health"); // the connection is still in step
        Assert.Equal(200, (await connection.ReadResponseAsync()).Status);
    }

    [Fact]
    public async Task UnreadBody_IsDrainedBeforeTheNextRequest()
    {
        using var connection = await RawHttpConnection.OpenAsync(Port);
        await connection.SendRequestAsync("POST", "/health", new byte[100_000]);
        Assert.Equal(200, (await connection.ReadResponseAsync()).Status);
        await connection.SendRequestAsync("GET", "/v1/models");
        Assert.Equal("list", (await connection.ReadResponseAsync()).Json().GetProperty("object").GetString());
    }

    [Fact]
    public async Task ConnectionClose_ClosesAfterTheResponse()
    {
        using var connection = await RawHttpConnection.OpenAsync(Port);
        await connection.SendRequestAsync("GET", "/health", extraHeaders: ["Connection: close"]);
        var response = await connection.ReadResponseAsync();
        Assert.Equal("close", response.Header("Connection"));
        Assert.True(await connection.IsClosedByPeerAsync());
    }

    [Fact]
    public async Task Http10_ClosesByDefault()
    {
        using var connection = await RawHttpConnection.OpenAsync(Port);
        await connection.SendAsync("GET /health HTTP/1.0\r\n\r\n");
        Assert.Equal(200, (await connection.ReadResponseAsync()).Status);
        Assert.True(await connection.IsClosedByPeerAsync());
    }

    [Fact]
    public async Task BareLineFeeds_AreAccepted()
    {
        using var connection = await RawHttpConnection.OpenAsync(Port);
        await connection.SendAsync("\r\nGET /echo HTTP/1.1\nHost: x\nX-Lf: yes\n\n");
        var json = (await connection.ReadResponseAsync()).Json();
        Assert.Contains(json.GetProperty("headers").EnumerateArray(), h => h[0].GetString() == "X-Lf" && h[1].GetString() == "yes");
    }

    [Fact]
    public async Task ExpectContinue_GetsInterimResponseBeforeTheBody()
    {
        using var connection = await RawHttpConnection.OpenAsync(Port);
        await connection.SendAsync("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n");
        await connection.SendAsync("abc"); // a client may send the body without waiting (RFC 9110 §10.1.1)
        var response = await connection.ReadResponseAsync();
        Assert.Equal([100], response.InterimStatuses);
        Assert.Equal(3, response.Json().GetProperty("bytes").GetInt32());
    }

    [Fact]
    public async Task MalformedRequestLine_Answers400AndCloses()
    {
        using var connection = await RawHttpConnection.OpenAsync(Port);
        await connection.SendAsync("NONSENSE\r\n\r\n");
        Assert.Equal(400, (await connection.ReadResponseAsync()).Status);
        Assert.True(await connection.IsClosedByPeerAsync());
    }

    [Fact]
    public async Task BadContentLength_Answers400()
    {
        using var connection = await RawHttpConnection.OpenAsync(Port);
        await connection.SendAsync("POST /upload HTTP/1.1\r\nContent-Length: ten\r\n\r\n");
        Assert.Equal(400, (await connection.ReadResponseAsync()).Status);
    }

    [Fact]
    public async Task ManyConcurrentConnections_AreAllServed()
    {
        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ =>
            RawHttp.PostJsonAsync(Port, "/v1/chat/completions", """{"model":"c","stream":true,"n_events":3,"gap_ms":5}""")));
        Assert.All(responses, r => Assert.Equal("[DONE]", SseEvents.Parse(r.BodyText)[^1]));
    }
}
