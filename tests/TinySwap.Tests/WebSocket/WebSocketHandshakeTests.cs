using System.Buffers;
using System.Text;
using TinySwap.Http.Parsing;
using TinySwap.Http.Server;
using TinySwap.Http.Upstream;
using TinySwap.Proxy.Forwarding;

namespace TinySwap.Tests.WebSocket;

/// <summary>RFC 6455 §4.1 as the proxy applies it: which requests are handshakes, which may be forwarded, which 101 switches.</summary>
public sealed class WebSocketHandshakeTests
{
    private const string Key = "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n";

    private static RequestHead Request(string head)
    {
        var parsed = new RequestHead(100);
        parsed.Reset();
        var state = RequestHeadParseState.Start(32 * 1024);
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(head + "\r\n")));
        Assert.True(RequestHeadParser.TryParse(ref reader, parsed, ref state, 8192));
        return parsed;
    }

    private static ResponseHead Response(string head)
    {
        var parsed = new ResponseHead(100);
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(head + "\r\n")));
        var parsingFields = false;
        var fieldBytesLeft = 32 * 1024;
        Assert.True(ResponseHeadParser.TryParse(ref reader, parsed, ref parsingFields, ref fieldBytesLeft, 8192, requestWasHead: false));
        return parsed;
    }

    [Theory]
    [InlineData("Connection: Upgrade\r\nUpgrade: websocket\r\n", true)]
    [InlineData("connection: keep-alive, UPGRADE\r\nupgrade: WebSocket\r\n", true)]
    [InlineData("Connection: keep-alive\r\nConnection: upgrade\r\nUpgrade: h2c\r\nUpgrade: websocket\r\n", true)]
    [InlineData("Connection: keep-alive,upgrade\r\nUpgrade: websocket, h2c\r\n", true)]
    [InlineData("Upgrade: websocket\r\n", false)]
    [InlineData("Connection: Upgrade\r\n", false)]
    [InlineData("Connection: Upgrade\r\nUpgrade: h2c\r\n", false)]
    [InlineData("Connection: upgrades\r\nUpgrade: websocket\r\n", false)]
    [InlineData("Connection: Upgrade\r\nUpgrade: websocket/13x\r\n", false)]
    public void IsRequested_TokensInAnyConnectionAndUpgradeField(string fields, bool requested) =>
        Assert.Equal(requested, WebSocketHandshake.IsRequested(Request($"GET /ws HTTP/1.1\r\nHost: h\r\n{fields}{Key}")));

    [Theory]
    [InlineData("GET /ws HTTP/1.1\r\n", nameof(WebSocketRequestProblem.None))]
    [InlineData("POST /ws HTTP/1.1\r\n", nameof(WebSocketRequestProblem.NotGet))]
    [InlineData("GET /ws HTTP/1.0\r\n", nameof(WebSocketRequestProblem.NotHttp11))]
    [InlineData("GET /ws HTTP/1.1\r\nContent-Length: 3\r\n", nameof(WebSocketRequestProblem.HasBody))]
    [InlineData("GET /ws HTTP/1.1\r\nTransfer-Encoding: chunked\r\n", nameof(WebSocketRequestProblem.HasBody))]
    public void Check_GetHttp11WithoutBody(string start, string expected)
    {
        var problem = Enum.Parse<WebSocketRequestProblem>(expected);
        var request = Request($"{start}Host: h\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n{Key}");
        Assert.Equal(problem, WebSocketHandshake.Check(request));
        Assert.Equal(problem == WebSocketRequestProblem.None, WebSocketHandshake.Describe(problem).Length == 0);
    }

    [Theory]
    [InlineData("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n", true)]
    [InlineData("HTTP/1.1 101 Switching Protocols\r\nupgrade: WEBSOCKET\r\nconnection: keep-alive, upgrade\r\n", true)]
    [InlineData("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\n", false)]
    [InlineData("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n", false)]
    [InlineData("HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\nConnection: Upgrade\r\n", false)]
    [InlineData("HTTP/1.1 200 OK\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nContent-Length: 0\r\n", false)]
    public void IsAccepted_Only101SwitchingToWebSocket(string head, bool accepted) =>
        Assert.Equal(accepted, WebSocketHandshake.IsAccepted(Response(head)));
}
