using System.Text;
using System.Text.Json;
using TinySwap.Tests.Support;

namespace TinySwap.Tests.EndToEnd;

/// <summary>
/// Peers end to end: a second dist/tinyswap as the peer, both on 127.0.0.1; a peer that is down; an https peer with a
/// self-signed certificate, refused until its caFile names it.
/// </summary>
public sealed class PeerTests
{
    private const string FrontKey = "front-key-1";
    private const string PeerKey = "peer-secret-2";
    private static readonly string[] FrontAuthorization = [$"Authorization: Bearer {FrontKey}"];

    /// <summary>The front's config: one local model (never started here) and the peers given.</summary>
    private static string FrontConfig(string peers, string topLevel = "") =>
        FakeModel.Config($"{topLevel}\npeers:\n{peers}", new FakeModel("local"));

    [Fact]
    public async Task ChatStreamsThroughASecondTinyswap_WithThePeersKeyInsteadOfTheClients()
    {
        var model = new FakeModel("a");
        await using var peer = await TinySwapServer.StartAsync(FakeModel.Config("", model));
        await using var front = await TinySwapServer.StartAsync(FrontConfig(
            $"  lab:\n    proxy: http://127.0.0.1:{peer.Port}\n    apiKey: {PeerKey}\n    models: [a]\n", $"apiKeys: [{FrontKey}]"));

        // Streamed: every event arrives, in order, served by the peer's model, which saw its own id as the model.
        using (var stream = await SseStream.OpenAsync(front.Port, """{"model":"lab/a","stream":true,"n_events":5,"gap_ms":5}""", FrontAuthorization))
        {
            var events = await stream.ReadToEndAsync();
            Assert.Equal("[DONE]", events[^1]);
            Assert.Equal([0, 1, 2, 3, 4], SseStream.Sequence(events, "a"));
            Assert.All(events.SkipLast(1), e => Assert.Equal("a", JsonDocument.Parse(e).RootElement.GetProperty("model").GetString()));
        }

        // What the peer's upstream received (FakeUpstream echoes unknown routes): the peer's key, never the client's.
        var echo = await RawHttp.SendAsync(front.Port, "POST", "/v1/rerank", Encoding.UTF8.GetBytes("""{"model":"lab/a","query":"q"}"""),
            "application/json", FrontAuthorization);
        Assert.True(echo.Status == 200, echo.ToString());
        var headers = echo.Json().GetProperty("headers").EnumerateArray()
            .Select(h => (Name: h[0].GetString()!, Value: h[1].GetString()!)).ToList();
        Assert.Equal($"Bearer {PeerKey}", Assert.Single(headers, h => h.Name.Equals("authorization", StringComparison.OrdinalIgnoreCase)).Value);
        Assert.Equal(PeerKey, Assert.Single(headers, h => h.Name.Equals("x-api-key", StringComparison.OrdinalIgnoreCase)).Value);
        Assert.DoesNotContain(headers, h => h.Value.Contains(FrontKey, StringComparison.Ordinal));
        // The peer tinyswap adds its own X-Forwarded-For: the front's address, one hop, not the client's as well.
        Assert.Equal("127.0.0.1", Assert.Single(headers, h => h.Name.Equals("x-forwarded-for", StringComparison.OrdinalIgnoreCase)).Value);

        // The bare id reaches the only peer serving it; /v1/models lists the peer model under its qualified name.
        var bare = await RawHttp.SendAsync(front.Port, "POST", "/v1/chat/completions",
            Encoding.UTF8.GetBytes("""{"model":"a","messages":[]}"""), "application/json", FrontAuthorization);
        Assert.True(bare.Status == 200, bare.ToString());
        Assert.Equal("a", bare.Json().GetProperty("served_by").GetString());
        var list = await RawHttp.SendAsync(front.Port, "GET", "/v1/models", extraHeaders: FrontAuthorization);
        var entry = Assert.Single(list.Json().GetProperty("data").EnumerateArray(), e => e.GetProperty("id").GetString() == "lab/a");
        Assert.Equal("lab", entry.GetProperty("owned_by").GetString());
        Assert.Equal("peer", entry.GetProperty("meta").GetProperty("llamaswap").GetProperty("type").GetString());
    }

    [Fact]
    public async Task ClientLeavingMidStream_ReachesThePeersModelServer()
    {
        var model = new FakeModel("a");
        await using var peer = await TinySwapServer.StartAsync(FakeModel.Config("", model));
        await using var front = await TinySwapServer.StartAsync(FrontConfig($"  lab:\n    proxy: http://127.0.0.1:{peer.Port}\n    models: [a]\n"));
        await TinySwapApi.LoadAsync(peer.Port, "a");
        var before = TcpTable.OpenPeersOf(model.Port);

        // 100000 events 50 ms apart: over an hour of stream, so only the abort travelling both hops can end it in time.
        using var stream = await SseStream.OpenAsync(front.Port, """{"model":"lab/a","stream":true,"n_events":100000,"gap_ms":50}""");
        Assert.NotNull(await stream.ReadEventAsync());
        var during = TcpTable.OpenPeersOf(model.Port);
        var fresh = during.Except(before).ToList();
        var streaming = fresh.Count == 1 ? fresh[0] : Assert.Single(during);

        stream.Dispose();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (TcpTable.OpenPeersOf(model.Port).Contains(streaming) && clock.Elapsed < TinySwapServer.Generous)
            await Task.Delay(10);

        Assert.False(TcpTable.OpenPeersOf(model.Port).Contains(streaming),
            $"the peer's model still streams over the connection from port {streaming} {clock.Elapsed} after the client left");
    }

    [Fact]
    public async Task ServerPeer_SeesItsOwnModelIdInEveryRequestShape_WithItsFilters_AndASlowOneGets504()
    {
        using var server = FakeUpstreamProcess.Start("--model", "vllm");
        await using var front = await TinySwapServer.StartAsync(FrontConfig(
            $"  vllm:\n    proxy: http://127.0.0.1:{server.Port}\n    models: [org/m]\n    timeouts: {{ responseHeader: 1 }}\n" +
            "    filters:\n      stripParams: temperature\n      setParams: { provider: { zdr: true } }\n"));

        // JSON: the model renamed, the peer's filters applied (the echo reports the body it got: its length tells).
        var json = """{"model":"vllm/org/m","temperature":0.5}""";
        var echo = await RawHttp.PostJsonAsync(front.Port, "/v1/rerank", json);
        Assert.True(echo.Status == 200, echo.ToString());
        Assert.Equal("""{"model":"org/m","provider":{"zdr":true}}""".Length, echo.Json().GetProperty("body_length").GetInt32());

        // ?model= on a GET route: set to the peer's id, other parameters kept as they came.
        var query = await RawHttp.GetAsync(front.Port, "/v1/audio/voices?lang=en&model=vllm%2Forg%2Fm&x=%20");
        Assert.True(query.Status == 200, query.ToString());
        Assert.Equal("/v1/audio/voices?lang=en&model=org%2Fm&x=%20", query.Json().GetProperty("target").GetString());

        // Multipart: the model field rewritten, the file streamed whole.
        const string boundary = "----peer-boundary-0123456789";
        var audio = new byte[64 * 1024 + 3];
        var form = Multipart.Build(boundary, ("file", "a.wav", audio), ("model", null, Encoding.ASCII.GetBytes("vllm/org/m")));
        var transcribed = await RawHttp.SendAsync(front.Port, "POST", "/v1/audio/transcriptions", form, "multipart/form-data; boundary=" + boundary);
        Assert.True(transcribed.Status == 200, transcribed.ToString());
        Assert.Equal("org/m", transcribed.Json().GetProperty("model").GetString());
        Assert.Equal(audio.Length, transcribed.Json().GetProperty("file_size").GetInt64());

        // /upstream/PEER/MODEL/rest: the rest goes to the peer as it is.
        var passthrough = await RawHttp.GetAsync(front.Port, "/upstream/vllm/org/m/some/path?q=1");
        Assert.True(passthrough.Status == 200, passthrough.ToString());
        Assert.Equal("/some/path?q=1", passthrough.Json().GetProperty("target").GetString());

        // No response head within timeouts.responseHeader: 504 naming the peer.
        var slow = await TinySwapApi.CompleteAsync(front.Port, "vllm/org/m", ""","delay_ms":10000""");
        Assert.True(slow.Status == 504, slow.ToString());
        Assert.Contains("peer 'vllm' did not answer in time", slow.Json().GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task PeerThatIsDown_Gets502NamingThePeer()
    {
        var closedPort = FreePort.Next();
        await using var front = await TinySwapServer.StartAsync(FrontConfig($"  gone:\n    proxy: http://127.0.0.1:{closedPort}\n    models: [x]\n"));

        var response = await TinySwapApi.CompleteAsync(front.Port, "gone/x");

        Assert.True(response.Status == 502, response.ToString());
        var message = response.Json().GetProperty("error").GetProperty("message").GetString()!;
        Assert.Contains("peer 'gone' failed", message);
        Assert.Contains("ConnectionRefused", message);
    }

    [Fact]
    public async Task ProfilePinToAPeerModel_ReachesThePeer_OnEveryModelRoute()
    {
        var closedPort = FreePort.Next();
        await using var front = await TinySwapServer.StartAsync(FrontConfig($"  gone:\n    proxy: http://127.0.0.1:{closedPort}\n    models: [x]\n",
            "profiles:\n  far:\n    pins:\n      llm: gone/x\n"));
        Assert.Equal(404, (await TinySwapApi.CompleteAsync(front.Port, "llm")).Status);

        var switched = await RawHttp.SendAsync(front.Port, "PUT", "/api/profiles/active", """{"name":"far"}"""u8.ToArray(), "application/json");
        Assert.True(switched.Status == 200, switched.ToString());

        // The peer is down: a 502 naming it proves the pinned name went to the peer, not 404 as an unknown name.
        var chat = await TinySwapApi.CompleteAsync(front.Port, "llm");
        Assert.True(chat.Status == 502, chat.ToString());
        Assert.Contains("peer 'gone' failed", chat.Json().GetProperty("error").GetProperty("message").GetString());
        var upstream = await RawHttp.SendAsync(front.Port, "GET", "/upstream/llm/health");
        Assert.True(upstream.Status == 502, upstream.ToString());
    }

    [Fact]
    public async Task HttpsPeerWithASelfSignedCertificate_IsRefusedByDefault_AndServedWhenItsCaFileIsNamed()
    {
        await using var server = new TlsTestServer();
        var caDirectory = Directory.CreateTempSubdirectory("tinyswap-peer-ca-").FullName;
        try
        {
            var caFile = server.WriteCertificatePem(caDirectory);
            await using var front = await TinySwapServer.StartAsync(FrontConfig(
                $"  public:\n    proxy: https://127.0.0.1:{server.Port}/api\n    models: [m]\n" +
                $"  trusted:\n    proxy: https://127.0.0.1:{server.Port}/api\n    apiKey: {PeerKey}\n    caFile: {caFile}\n    models: [m]\n"));

            var refused = await TinySwapApi.CompleteAsync(front.Port, "public/m");
            Assert.True(refused.Status == 502, refused.ToString());
            var message = refused.Json().GetProperty("error").GetProperty("message").GetString()!;
            Assert.Contains("peer 'public' failed: TLS handshake", message);
            Assert.Contains("not trusted", message);
            Assert.Contains("caFile", message);
            Assert.Empty(server.Heads);

            // Under TLS 1.3 the server's side of the refused handshake may complete, and on a busy machine only after the
            // 502 is back: count once the server is done with that connection.
            Assert.True(await server.WaitForConnectionEndAsync(TimeSpan.FromSeconds(10)), "the refused connection never ended");
            var handshakesBefore = server.Handshakes;
            var served = await TinySwapApi.CompleteAsync(front.Port, "trusted/m");
            Assert.True(served.Status == 200, served.ToString());
            Assert.Equal("tls", served.Json().GetProperty("served_by").GetString());
            // The base URL's path is kept in front of the request's.
            Assert.Equal("/api/v1/chat/completions", served.Json().GetProperty("target").GetString());
            Assert.True(served.Json().GetProperty("authorization").GetBoolean());

            // A second request reuses the pooled TLS connection: no second handshake.
            var again = await TinySwapApi.CompleteAsync(front.Port, "trusted/m");
            Assert.True(again.Status == 200, again.ToString());
            Assert.Equal(2, server.Heads.Count);
            Assert.Equal(handshakesBefore + 1, server.Handshakes);
        }
        finally
        {
            Directory.Delete(caDirectory, recursive: true);
        }
    }
}
