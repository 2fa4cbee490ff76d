using TinySwap.Config;
using TinySwap.Tests.Http.Support;

namespace TinySwap.Tests.Http;

/// <summary>Every strictness rule of issue 3, as raw bytes over a real socket: the status, then the close.</summary>
public sealed class RequestRejectionTests
{
    private const string Host = "Host: a\r\n";

    public static TheoryData<string, string, int> Cases() => new()
    {
        // Framing: RFC 9112 §6.
        { "CL with TE", $"POST / HTTP/1.1\r\n{Host}Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400 },
        { "TE with CL", $"POST / HTTP/1.1\r\n{Host}Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n", 400 },
        { "CL differing", $"POST / HTTP/1.1\r\n{Host}Content-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", 400 },
        { "CL repeated", $"POST / HTTP/1.1\r\n{Host}Content-Length: 3\r\nContent-Length: 3\r\n\r\nabc", 400 },
        { "CL list", $"POST / HTTP/1.1\r\n{Host}Content-Length: 3, 3\r\n\r\nabc", 400 },
        { "CL plus sign", $"POST / HTTP/1.1\r\n{Host}Content-Length: +1\r\n\r\na", 400 },
        { "CL hex", $"POST / HTTP/1.1\r\n{Host}Content-Length: 0x10\r\n\r\n", 400 },
        { "CL negative", $"POST / HTTP/1.1\r\n{Host}Content-Length: -1\r\n\r\n", 400 },
        { "CL empty", $"POST / HTTP/1.1\r\n{Host}Content-Length: \r\n\r\n", 400 },
        { "CL inner space", $"POST / HTTP/1.1\r\n{Host}Content-Length: 1 2\r\n\r\n", 400 },
        { "CL overflow", $"POST / HTTP/1.1\r\n{Host}Content-Length: 99999999999999999999\r\n\r\n", 400 },
        { "TE gzip only", $"POST / HTTP/1.1\r\n{Host}Transfer-Encoding: gzip\r\n\r\n", 400 },
        { "TE chunked not final", $"POST / HTTP/1.1\r\n{Host}Transfer-Encoding: chunked, gzip\r\n\r\n", 400 },
        { "TE chunked twice", $"POST / HTTP/1.1\r\n{Host}Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", 400 },
        { "TE identity", $"POST / HTTP/1.1\r\n{Host}Transfer-Encoding: identity\r\n\r\n", 400 },
        { "TE unknown before chunked", $"POST / HTTP/1.1\r\n{Host}Transfer-Encoding: gzip, chunked\r\n\r\n", 501 },
        { "TE chunked with parameter", $"POST / HTTP/1.1\r\n{Host}Transfer-Encoding: chunked;q=1\r\n\r\n", 400 },
        { "TE empty", $"POST / HTTP/1.1\r\n{Host}Transfer-Encoding: \r\n\r\n", 400 },
        { "TE in HTTP/1.0", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400 },
        // Chunked body: RFC 9112 §7.1.
        { "chunk size not hex", $"POST / HTTP/1.1\r\n{Host}Transfer-Encoding: chunked\r\n\r\nzz\r\nab\r\n0\r\n\r\n", 400 },
        { "chunk size empty", $"POST / HTTP/1.1\r\n{Host}Transfer-Encoding: chunked\r\n\r\n\r\n", 400 },
        { "chunk size with sign", $"POST / HTTP/1.1\r\n{Host}Transfer-Encoding: chunked\r\n\r\n+2\r\nab\r\n0\r\n\r\n", 400 },
        { "chunk size 0x prefix", $"POST / HTTP/1.1\r\n{Host}Transfer-Encoding: chunked\r\n\r\n0x2\r\nab\r\n0\r\n\r\n", 400 },
        { "chunk size overflow", $"POST / HTTP/1.1\r\n{Host}Transfer-Encoding: chunked\r\n\r\nfffffffffffffffff\r\nab\r\n", 400 },
        { "chunk size space digits", $"POST / HTTP/1.1\r\n{Host}Transfer-Encoding: chunked\r\n\r\n1 2\r\nab\r\n", 400 },
        { "chunk bare semicolon", $"POST / HTTP/1.1\r\n{Host}Transfer-Encoding: chunked\r\n\r\n2;\r\nab\r\n0\r\n\r\n", 400 },
        { "chunk ext control byte", $"POST / HTTP/1.1\r\n{Host}Transfer-Encoding: chunked\r\n\r\n2;a=b\u0001\r\nab\r\n0\r\n\r\n", 400 },
        { "chunk ext NUL in quotes", $"POST / HTTP/1.1\r\n{Host}Transfer-Encoding: chunked\r\n\r\n2;a=\"b\0\"\r\nab\r\n0\r\n\r\n", 400 },
        { "chunk ext unterminated quote", $"POST / HTTP/1.1\r\n{Host}Transfer-Encoding: chunked\r\n\r\n2;a=\"b\r\nab\r\n0\r\n\r\n", 400 },
        { "chunk ext too long", $"POST / HTTP/1.1\r\n{Host}Transfer-Encoding: chunked\r\n\r\n2;a={new string('x', 2000)}\r\nab\r\n0\r\n\r\n", 400 },
        { "chunk data without CRLF", $"POST / HTTP/1.1\r\n{Host}Transfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n", 400 },
        { "chunk size bare LF", $"POST / HTTP/1.1\r\n{Host}Transfer-Encoding: chunked\r\n\r\n2\nab\r\n0\r\n\r\n", 400 },
        { "chunk size bare CR", $"POST / HTTP/1.1\r\n{Host}Transfer-Encoding: chunked\r\n\r\n2\rx\r\nab\r\n0\r\n\r\n", 400 },
        { "trailer obs-fold", $"POST / HTTP/1.1\r\n{Host}Transfer-Encoding: chunked\r\n\r\n0\r\nA: b\r\n c\r\n\r\n", 400 },
        { "trailer no colon", $"POST / HTTP/1.1\r\n{Host}Transfer-Encoding: chunked\r\n\r\n0\r\nnocolon\r\n\r\n", 400 },
        // Fields: RFC 9112 §5, RFC 9110 §5.5.
        { "bare CR in value", $"GET / HTTP/1.1\r\n{Host}X: a\rb\r\n\r\n", 400 },
        { "bare CR line end", $"GET / HTTP/1.1\r\n{Host}X: a\r\r\n\r\n", 400 },
        { "bare LF line end", $"GET / HTTP/1.1\r\n{Host}X: a\n\r\n", 400 },
        { "NUL in value", $"GET / HTTP/1.1\r\n{Host}X: a\0b\r\n\r\n", 400 },
        { "control in value", $"GET / HTTP/1.1\r\n{Host}X: a\u001bb\r\n\r\n", 400 },
        { "DEL in value", $"GET / HTTP/1.1\r\n{Host}X: a\u007fb\r\n\r\n", 400 },
        { "space before colon", $"GET / HTTP/1.1\r\n{Host}X : a\r\n\r\n", 400 },
        { "tab before colon", $"GET / HTTP/1.1\r\n{Host}X\t: a\r\n\r\n", 400 },
        { "obs-fold", $"GET / HTTP/1.1\r\n{Host}X: a\r\n b\r\n\r\n", 400 },
        { "obs-fold tab", $"GET / HTTP/1.1\r\n{Host}X: a\r\n\tb\r\n\r\n", 400 },
        { "whitespace before first field", $"GET / HTTP/1.1\r\n {Host}\r\n", 400 },
        { "no colon", $"GET / HTTP/1.1\r\n{Host}NoColon\r\n\r\n", 400 },
        { "empty name", $"GET / HTTP/1.1\r\n{Host}: a\r\n\r\n", 400 },
        { "non-token name", $"GET / HTTP/1.1\r\n{Host}X(y): a\r\n\r\n", 400 },
        { "non-ASCII name", $"GET / HTTP/1.1\r\n{Host}X\u00e9: a\r\n\r\n", 400 },
        { "missing Host", "GET / HTTP/1.1\r\n\r\n", 400 },
        { "duplicate Host", $"GET / HTTP/1.1\r\n{Host}{Host}\r\n", 400 },
        { "duplicate Host in 1.0", $"GET / HTTP/1.0\r\n{Host}{Host}\r\n", 400 },
        { "invalid Host", "GET / HTTP/1.1\r\nHost: a b\r\n\r\n", 400 },
        { "Host with slash", "GET / HTTP/1.1\r\nHost: a/b\r\n\r\n", 400 },
        // RFC 9110 §7.2, RFC 3986 §3.2.2: uri-host [":" port]; an empty Host has no place in our requests (RFC 9112 §3.2).
        { "empty Host", "GET / HTTP/1.1\r\nHost:\r\n\r\n", 400 },
        { "empty Host with OWS", "GET / HTTP/1.1\r\nHost:  \r\n\r\n", 400 },
        { "empty Host in 1.0", "GET / HTTP/1.0\r\nHost: \r\n\r\n", 400 },
        { "Host port not digits", "GET / HTTP/1.1\r\nHost: a:b\r\n\r\n", 400 },
        { "Host two colons", "GET / HTTP/1.1\r\nHost: a:1:2\r\n\r\n", 400 },
        { "Host port too long", "GET / HTTP/1.1\r\nHost: a:123456\r\n\r\n", 400 },
        { "Host port only", "GET / HTTP/1.1\r\nHost: :80\r\n\r\n", 400 },
        { "Host IPv6 unclosed", "GET / HTTP/1.1\r\nHost: [::1\r\n\r\n", 400 },
        { "Host IPv6 unbracketed", "GET / HTTP/1.1\r\nHost: ::1\r\n\r\n", 400 },
        { "Host junk after literal", "GET / HTTP/1.1\r\nHost: [::1]x\r\n\r\n", 400 },
        { "Host bad percent", "GET / HTTP/1.1\r\nHost: a%zz\r\n\r\n", 400 },
        { "Host with userinfo", "GET / HTTP/1.1\r\nHost: user@a\r\n\r\n", 400 },
        { "unknown expectation", $"POST / HTTP/1.1\r\n{Host}Expect: 200-ok\r\nContent-Length: 1\r\n\r\na", 417 },
        // Request line: RFC 9112 §3.
        { "version lower case", $"GET / http/1.1\r\n{Host}\r\n", 400 },
        { "version garbage", $"GET / HTTP/1.x\r\n{Host}\r\n", 400 },
        { "version long", $"GET / HTTP/1.11\r\n{Host}\r\n", 400 },
        { "version 2.0", $"GET / HTTP/2.0\r\n{Host}\r\n", 505 },
        { "version 1.2", $"GET / HTTP/1.2\r\n{Host}\r\n", 505 },
        { "no version", $"GET /\r\n{Host}\r\n", 400 },
        { "double space", $"GET  / HTTP/1.1\r\n{Host}\r\n", 400 },
        { "trailing space", $"GET / HTTP/1.1 \r\n{Host}\r\n", 400 },
        { "tab separator", $"GET\t/ HTTP/1.1\r\n{Host}\r\n", 400 },
        { "request line bare LF", $"GET / HTTP/1.1\n{Host}\r\n", 400 },
        { "request line bare CR", $"GET /\r HTTP/1.1\r\n{Host}\r\n", 400 },
        { "method non-token", $"G(T / HTTP/1.1\r\n{Host}\r\n", 400 },
        { "target control byte", $"GET /a\u0001b HTTP/1.1\r\n{Host}\r\n", 400 },
        { "target DEL", $"GET /a\u007fb HTTP/1.1\r\n{Host}\r\n", 400 },
        { "target non-ASCII", $"GET /caf\u00e9 HTTP/1.1\r\n{Host}\r\n", 400 },
        { "target fragment", $"GET /a#b HTTP/1.1\r\n{Host}\r\n", 400 },
        { "target not origin-form", $"GET a/b HTTP/1.1\r\n{Host}\r\n", 400 },
        { "target absolute-form", $"GET http://a/b HTTP/1.1\r\n{Host}\r\n", 400 },
        { "asterisk for GET", $"GET * HTTP/1.1\r\n{Host}\r\n", 400 },
        { "NUL in request line", $"GET /\0 HTTP/1.1\r\n{Host}\r\n", 400 },
        { "encoded NUL in path", $"GET /a%00b HTTP/1.1\r\n{Host}\r\n", 400 },
        { "encoded NUL in query", $"GET /a?x=%00 HTTP/1.1\r\n{Host}\r\n", 400 },
        // Chunk-size OWS (RFC 9112 §7.1): "5 " is read differently by different parsers.
        { "chunk size trailing space", $"POST / HTTP/1.1\r\n{Host}Transfer-Encoding: chunked\r\n\r\n2 \r\nab\r\n0\r\n\r\n", 400 },
        { "chunk size trailing tab", $"POST / HTTP/1.1\r\n{Host}Transfer-Encoding: chunked\r\n\r\n2\t\r\nab\r\n0\r\n\r\n", 400 },
        { "chunk size space before ext", $"POST / HTTP/1.1\r\n{Host}Transfer-Encoding: chunked\r\n\r\n2 ;a=b\r\nab\r\n0\r\n\r\n", 400 },
        { "last chunk trailing space", $"POST / HTTP/1.1\r\n{Host}Transfer-Encoding: chunked\r\n\r\n2\r\nab\r\n0 \r\n\r\n", 400 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task MalformedRequest_IsRejected_AndConnectionClosed(string rule, string request, int status)
    {
        var echo = new EchoHandler();
        await using var server = new TestServer(echo);
        using var client = server.Connect();
        // What follows a refused request must never be parsed as a request of its own.
        await client.SendAsync(request + "GET /after HTTP/1.1\r\nHost: a\r\n\r\n");
        var response = await client.ReadResponseAsync();
        Assert.True(status == response.Status, $"{rule}: expected {status}, got {response.Status} {response.BodyText}");
        Assert.Equal("close", response.Header("Connection"));
        Assert.Contains("\"error\"", response.BodyText);
        Assert.True(await client.IsClosedByServerAsync(), rule);
    }

    [Theory]
    [InlineData("GET /a%2500 HTTP/1.1\r\nHost: a:\r\n\r\n", "/a%2500")]
    [InlineData("GET / HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n", "/")]
    [InlineData("GET / HTTP/1.1\r\nHost: my%2Dhost.example\r\n\r\n", "/")]
    [InlineData("GET /a%20b?x=%7B%7D&y=[1]|~ HTTP/1.1\r\nHost: a\r\n\r\n", "/a%20b?x=%7B%7D&y=[1]|~")]
    [InlineData("GET / HTTP/1.1\r\nHost: [::1]:8080\r\nX-Utf8: caf\u00e9\r\nX-Empty:\r\nX-Tab:\ta\tb\t\r\n\r\n", "/")]
    [InlineData("GET / HTTP/1.0\r\n\r\n", "/")]
    [InlineData("\r\n\r\nGET /after-empty-lines HTTP/1.1\r\nHost: a\r\n\r\n", "/after-empty-lines")]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: ChUnKeD\r\n\r\n0\r\n\r\n", "/")]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 007\r\n\r\n1234567", "/")]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n00000000000000000000003\r\nabc\r\n0\r\n\r\n", "/")]
    public async Task ValidEdgeCases_AreAccepted(string request, string target)
    {
        await using var server = new TestServer(new EchoHandler());
        using var client = server.Connect();
        await client.SendAsync(request);
        var response = await client.ReadResponseAsync();
        Assert.True(response.Status == 200, response.BodyText);
        Assert.Equal(target, response.Header("X-Target"));
    }

    [Fact]
    public async Task OptionsAsterisk_AnsweredByTheServer_WithAllow_HandlerNotCalled_KeepsAlive()
    {
        var echo = new EchoHandler();
        await using var server = new TestServer(echo);
        using var client = server.Connect();
        await client.SendAsync("OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\nGET /next HTTP/1.1\r\nHost: a\r\n\r\n");
        var options = await client.ReadResponseAsync();
        Assert.Equal(200, options.Status);
        Assert.Equal("GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS", options.Header("Allow"));
        Assert.Equal("0", options.Header("Content-Length"));
        Assert.Equal("/next", (await client.ReadResponseAsync()).Header("X-Target"));
        Assert.Equal(1, echo.Requests);
    }

    [Fact]
    public async Task RequestLineOverLimit_414()
    {
        await using var server = new TestServer(new EchoHandler(), new HttpLimits { MaxRequestLineBytes = 100 });
        using var client = server.Connect();
        // Never terminated: the limit is found by its length alone, not by waiting for the line end.
        await client.SendAsync("GET /" + new string('a', 200));
        Assert.Equal(414, (await client.ReadResponseAsync()).Status);
        Assert.True(await client.IsClosedByServerAsync());
    }

    [Fact]
    public async Task RequestLineAtLimit_Accepted()
    {
        await using var server = new TestServer(new EchoHandler(), new HttpLimits { MaxRequestLineBytes = 100 });
        using var client = server.Connect();
        var target = "/" + new string('a', 100 - "GET  HTTP/1.1\r\n".Length - 1);
        await client.SendAsync($"GET {target} HTTP/1.1\r\nHost: a\r\n\r\n");
        Assert.Equal(200, (await client.ReadResponseAsync()).Status);
    }

    [Fact]
    public async Task HeaderBlockOverLimit_431()
    {
        await using var server = new TestServer(new EchoHandler(), new HttpLimits { MaxHeaderBytes = 1024 });
        using var client = server.Connect();
        await client.SendAsync("GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + new string('b', 2000));
        Assert.Equal(431, (await client.ReadResponseAsync()).Status);
        Assert.True(await client.IsClosedByServerAsync());
    }

    [Fact]
    public async Task TooManyFields_431_AtLimitAccepted()
    {
        await using var server = new TestServer(new EchoHandler(), new HttpLimits { MaxHeaderCount = 10 });
        var fields = string.Concat(Enumerable.Range(0, 9).Select(i => $"X-{i}: v\r\n"));
        using (var client = server.Connect())
        {
            await client.SendAsync($"GET / HTTP/1.1\r\nHost: a\r\n{fields}\r\n");
            Assert.Equal(200, (await client.ReadResponseAsync()).Status);
        }
        using (var client = server.Connect())
        {
            await client.SendAsync($"GET / HTTP/1.1\r\nHost: a\r\n{fields}X-10: v\r\n\r\n");
            Assert.Equal(431, (await client.ReadResponseAsync()).Status);
        }
    }

    [Fact]
    public async Task ContentLengthOverLimit_413_BeforeBodyOr100Continue()
    {
        var echo = new EchoHandler();
        await using var server = new TestServer(echo, new HttpLimits { MaxBodyBytes = 1000 });
        using var client = server.Connect();
        await client.SendAsync("POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 1001\r\n\r\n");
        var response = await client.ReadResponseAsync(keepInterim: true);
        Assert.Equal(413, response.Status);
        Assert.Equal(0, echo.Requests);
        Assert.True(await client.IsClosedByServerAsync());
    }

    [Fact]
    public async Task ChunkedOverLimit_413_AsSoonAsDeclared()
    {
        var echo = new EchoHandler();
        await using var server = new TestServer(echo, new HttpLimits { MaxBodyBytes = 1000 });
        using var client = server.Connect();
        // 600 + 600 > 1000: refused at the second size line, before its data exists.
        await client.SendAsync("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n258\r\n" + new string('a', 600) + "\r\n258\r\n");
        Assert.Equal(413, (await client.ReadResponseAsync()).Status);
        Assert.True(await client.IsClosedByServerAsync());
    }
}
