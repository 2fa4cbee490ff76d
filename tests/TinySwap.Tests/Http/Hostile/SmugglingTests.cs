using System.Text;

namespace TinySwap.Tests.Http.Hostile;

/// <summary>
/// Http11Probe-style smuggling and framing attacks through the real binary (issue 10): for every case the status,
/// the close, that no second response follows (the pipelined request after a refused one never runs), and that the
/// model received nothing: neither through <c>/upstream/m/…</c> nor through a chat route.
/// </summary>
public sealed class SmugglingTests(HostileProxy proxy) : IClassFixture<HostileProxy>
{
    private const string Host = "Host: localhost\r\n";
    private const string Chat = "POST /v1/chat/completions HTTP/1.1\r\n" + Host + "Content-Type: application/json\r\n";
    private const string Body = "{\"model\":\"m\"}";
    private const string Smuggled = "GET /upstream/m/smuggled HTTP/1.1\r\n" + Host + "\r\n";

    /// <summary>Cases RequestRejectionTests does not already hold, aimed at the proxy routes.</summary>
    public static TheoryData<string, string, int> HostileCases() => new()
    {
        // CL and TE together, in every order and disguise (RFC 9112 §6.1: a server MAY reject; we always do). A final
        // coding that is not exactly "chunked" leaves the length unknowable: 400 (RFC 9112 §6.3).
        { "CL+TE chat", $"{Chat}Content-Length: 13\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n{Smuggled}", 400 },
        { "TE+CL upstream", $"POST /upstream/m/probe HTTP/1.1\r\n{Host}Transfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n5c\r\n{Smuggled}0\r\n\r\n", 400 },
        { "CL+TE with OWS", $"POST /upstream/m/probe HTTP/1.1\r\n{Host}Content-Length: 4\r\nTransfer-Encoding:  chunked \r\n\r\n0\r\n\r\n", 400 },
        { "TE chunked, identity", $"POST /upstream/m/probe HTTP/1.1\r\n{Host}Transfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n", 400 },
        { "TE identity, chunked", $"POST /upstream/m/probe HTTP/1.1\r\n{Host}Transfer-Encoding: identity, chunked\r\n\r\n0\r\n\r\n", 501 },
        { "TE xchunked", $"POST /upstream/m/probe HTTP/1.1\r\n{Host}Transfer-Encoding: xchunked\r\n\r\n0\r\n\r\n", 400 },
        { "TE chunkedx", $"POST /upstream/m/probe HTTP/1.1\r\n{Host}Transfer-Encoding: chunkedx\r\n\r\n0\r\n\r\n", 400 },
        { "TE quoted", $"POST /upstream/m/probe HTTP/1.1\r\n{Host}Transfer-Encoding: \"chunked\"\r\n\r\n0\r\n\r\n", 400 },
        { "TE split over two lines", $"POST /upstream/m/probe HTTP/1.1\r\n{Host}Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n\r\n0\r\n\r\n", 400 },
        { "TE obs-fold", $"POST /upstream/m/probe HTTP/1.1\r\n{Host}Transfer-Encoding:\r\n chunked\r\n\r\n0\r\n\r\n", 400 },
        { "TE obs-fold continuation", $"POST /upstream/m/probe HTTP/1.1\r\n{Host}Transfer-Encoding: identity\r\n chunked\r\n\r\n0\r\n\r\n", 400 },
        { "TE space before colon", $"POST /upstream/m/probe HTTP/1.1\r\n{Host}Transfer-Encoding : chunked\r\n\r\n0\r\n\r\n", 400 },
        { "TE vertical tab", $"POST /upstream/m/probe HTTP/1.1\r\n{Host}Transfer-Encoding:\u000bchunked\r\n\r\n0\r\n\r\n", 400 },
        { "TE in HTTP/1.0 chat", $"POST /v1/chat/completions HTTP/1.0\r\n{Host}Transfer-Encoding: chunked\r\n\r\n{Body.Length:x}\r\n{Body}\r\n0\r\n\r\n", 400 },
        { "TE bare LF in name line", $"POST /upstream/m/probe HTTP/1.1\r\n{Host}Transfer-Encoding: chunked\n\r\n0\r\n\r\n", 400 },
        // Content-Length disguises.
        { "CL comma-listed differing", $"{Chat}Content-Length: 13, 14\r\n\r\n{Body}x", 400 },
        { "CL duplicate differing", $"{Chat}Content-Length: 13\r\nContent-Length: 0\r\n\r\n{Body}", 400 },
        { "CL obs-fold", $"{Chat}Content-Length:\r\n 13\r\n\r\n{Body}", 400 },
        { "CL leading plus", $"{Chat}Content-Length: +13\r\n\r\n{Body}", 400 },
        { "CL NUL", $"{Chat}Content-Length: 13\0\r\n\r\n{Body}", 400 },
        // Chunk sizes (RFC 9112 §7.1).
        { "chunk size OWS", $"POST /upstream/m/probe HTTP/1.1\r\n{Host}Transfer-Encoding: chunked\r\n\r\n2 \r\nab\r\n0\r\n\r\n", 400 },
        { "chunk size BWS before ext", $"POST /upstream/m/probe HTTP/1.1\r\n{Host}Transfer-Encoding: chunked\r\n\r\n2\t;x\r\nab\r\n0\r\n\r\n", 400 },
        { "chunk size overflow", $"POST /upstream/m/probe HTTP/1.1\r\n{Host}Transfer-Encoding: chunked\r\n\r\n10000000000000000\r\nab\r\n0\r\n\r\n", 400 },
        { "chunk size plus", $"POST /upstream/m/probe HTTP/1.1\r\n{Host}Transfer-Encoding: chunked\r\n\r\n+2\r\nab\r\n0\r\n\r\n", 400 },
        { "chunk size 0x", $"POST /upstream/m/probe HTTP/1.1\r\n{Host}Transfer-Encoding: chunked\r\n\r\n0x2\r\nab\r\n0\r\n\r\n", 400 },
        { "chunk size negative", $"POST /upstream/m/probe HTTP/1.1\r\n{Host}Transfer-Encoding: chunked\r\n\r\n-2\r\nab\r\n0\r\n\r\n", 400 },
        // Head syntax.
        { "obs-fold in any header", $"GET /upstream/m/probe HTTP/1.1\r\n{Host}X-A: 1\r\n 2\r\n\r\n", 400 },
        { "bare CR in head", $"GET /upstream/m/probe HTTP/1.1\r\n{Host}X-A: 1\rX-B: 2\r\n\r\n", 400 },
        { "bare LF in head", $"GET /upstream/m/probe HTTP/1.1\n{Host}\r\n", 400 },
        { "bare LF between fields", $"GET /upstream/m/probe HTTP/1.1\r\n{Host}X-A: 1\nX-B: 2\r\n\r\n", 400 },
        { "NUL in header name", $"GET /upstream/m/probe HTTP/1.1\r\n{Host}X\0A: 1\r\n\r\n", 400 },
        { "NUL in header value", $"GET /upstream/m/probe HTTP/1.1\r\n{Host}X-A: 1\02\r\n\r\n", 400 },
        { "long method", $"{new string('G', 9000)} /upstream/m/probe HTTP/1.1\r\n{Host}\r\n", 414 },
        { "long header name", $"GET /upstream/m/probe HTTP/1.1\r\n{Host}{new string('X', 40_000)}: 1\r\n\r\n", 431 },
        { "empty Host", "GET /upstream/m/probe HTTP/1.1\r\nHost:\r\n\r\n", 400 },
        { "two Host headers", $"GET /upstream/m/probe HTTP/1.1\r\n{Host}Host: evil.example\r\n\r\n", 400 },
        { "no Host", "GET /upstream/m/probe HTTP/1.1\r\n\r\n", 400 },
        { "absolute-form target", $"GET http://localhost/upstream/m/probe HTTP/1.1\r\n{Host}\r\n", 400 },
        { "authority-form target", $"CONNECT localhost:80 HTTP/1.1\r\n{Host}\r\n", 400 },
        { "encoded NUL", $"GET /upstream/m/probe%00.json HTTP/1.1\r\n{Host}\r\n", 400 },
        { "asterisk for POST", $"POST * HTTP/1.1\r\n{Host}Content-Length: 0\r\n\r\n", 400 },
    };

    [Theory]
    [MemberData(nameof(HostileCases))]
    public Task HostileRequest_Refused_NothingReachesTheModel(string rule, string request, int status) =>
        AssertRefusedAsync(rule, request + Smuggled, status);

    /// <summary>Every rule of <see cref="RequestRejectionTests"/>, aimed at the model instead of at an echo handler.</summary>
    [Theory]
    [MemberData(nameof(RequestRejectionTests.Cases), MemberType = typeof(RequestRejectionTests))]
    public Task RejectionRule_ThroughTheProxy_NothingReachesTheModel(string rule, string request, int status)
    {
        var aimed = request.StartsWith("POST / ", StringComparison.Ordinal) ? "POST /upstream/m/probe " + request[7..]
            : request.StartsWith("GET / ", StringComparison.Ordinal) ? "GET /upstream/m/probe " + request[6..]
            : request;
        // The proxy refuses a Host it does not serve (421) before it reads a body, which would hide the framing rule.
        aimed = aimed.Replace("\r\nHost: a\r\n", "\r\nHost: localhost\r\n", StringComparison.Ordinal);
        return AssertRefusedAsync(rule, aimed + Smuggled, status);
    }

    [Fact]
    public async Task HugeContentLengthAndNoBody_408_SlotReturned_ModelSawNoRequest()
    {
        var seen = await proxy.SeenDuringAsync(async () =>
        {
            var (response, after) = await proxy.ExchangeAsync($"{Chat}Content-Length: 1000000\r\n\r\n{{\"model\"");
            Assert.Equal(408, response.Status);
            Assert.Empty(after);
        });
        Assert.Empty(seen);
        var (health, _) = await proxy.ExchangeAsync($"GET /health HTTP/1.1\r\n{Host}Connection: close\r\n\r\n");
        Assert.Equal(200, health.Status);
    }

    [Fact]
    public async Task RequestAfterConnectionClose_NeverRuns()
    {
        var seen = await proxy.SeenDuringAsync(async () =>
        {
            var (response, after) = await proxy.ExchangeAsync($"GET /upstream/m/first HTTP/1.1\r\n{Host}Connection: close\r\n\r\n{Smuggled}");
            Assert.Equal(200, response.Status);
            Assert.Empty(after);
        });
        Assert.Equal(["GET /first"], seen);
    }

    [Fact]
    public async Task ValidChunkedBodyHidingARequest_ForwardedAsBodyOnly()
    {
        // The "request" inside the chunk is data; the model must see one POST whose body holds it, nothing more.
        var inner = Smuggled;
        var seen = await proxy.SeenDuringAsync(async () =>
        {
            var (response, _) = await proxy.ExchangeAsync(
                $"POST /upstream/m/carrier HTTP/1.1\r\n{Host}Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n{inner.Length:x}\r\n{inner}\r\n0\r\n\r\n");
            Assert.Equal(200, response.Status);
        });
        Assert.Equal(["POST /carrier"], seen);
    }

    [Theory]
    [InlineData("/upstream/m/a/../b", "/b")]
    [InlineData("/upstream/m/../../v1/models", "/v1/models")]
    [InlineData("/upstream/m/%2e%2e/%2E%2E/etc/passwd", "/etc/passwd")]
    [InlineData("/upstream/m/a/./b/.?x=/../y", "/a/b/?x=/../y")]
    public async Task DotSegments_RemovedBeforeForwarding_NeverAboveTheModel(string target, string forwarded)
    {
        var seen = await proxy.SeenDuringAsync(async () =>
        {
            var (response, _) = await proxy.ExchangeAsync($"GET {target} HTTP/1.1\r\n{Host}Connection: close\r\n\r\n");
            Assert.Equal(200, response.Status);
        });
        Assert.Equal(["GET " + forwarded], seen);
    }

    [Fact]
    public async Task OptionsAsterisk_200WithAllow_ModelNotAsked()
    {
        var seen = await proxy.SeenDuringAsync(async () =>
        {
            var (response, _) = await proxy.ExchangeAsync($"OPTIONS * HTTP/1.1\r\n{Host}Connection: close\r\n\r\n");
            Assert.Equal(200, response.Status);
            Assert.Contains("POST", response.Header("Allow"));
        });
        Assert.Empty(seen);
    }

    private async Task AssertRefusedAsync(string rule, string request, int status)
    {
        var seen = await proxy.SeenDuringAsync(async () =>
        {
            var (response, after) = await proxy.ExchangeAsync(request);
            Assert.True(status == response.Status, $"{rule}: expected {status}, got {response.Status} {response.BodyText}");
            Assert.Equal("close", response.Header("Connection"));
            Assert.True(after.Length == 0, $"{rule}: a second response followed: {Encoding.Latin1.GetString(after)}");
        });
        Assert.True(seen.Count == 0, $"{rule}: the model received {string.Join(", ", seen)}");
    }
}
