using System.Net.WebSockets;
using System.Text;
using TinySwap.Http.Server;
using TinySwap.Proxy.Forwarding;
using TinySwap.Tests.Http.Support;

namespace TinySwap.Tests.WebSocket;

/// <summary>
/// WebSocket handshakes through our server and forwarder to a real WebSocket server, with System.Net's client: the
/// handshake forwarded, frames both ways untouched, closed cleanly from either side, the upstream connection never pooled.
/// </summary>
public sealed class WebSocketForwardingTests
{
    private static ForwardRequest AsHandshake(HttpExchange exchange) => new() { SwitchToWebSocket = WebSocketHandshake.IsRequested(exchange.Request) };

    private static byte[] Noise(int length)
    {
        var bytes = new byte[length];
        new Random(6455).NextBytes(bytes);
        return bytes;
    }

    [Fact]
    public async Task Echo_HandshakeForwarded_MessagesUntouched_ClientCloses()
    {
        var echo = new WebSocketEchoPeer();
        await using var upstream = new ScriptedUpstream(echo.RunAsync);
        await using var proxy = new ProxyUnderTest(upstream.Address, AsHandshake);
        using var client = await WebSocketClient.ConnectAsync(proxy.Port, "/ws?room=1", o =>
        {
            o.AddSubProtocol("chat");
            o.CollectHttpResponseDetails = true;
        });

        Assert.Equal("chat", client.SubProtocol);
        Assert.Equal("yes", client.HttpResponseHeaders?["X-Echo"].Single());
        var handshake = await echo.Handshake.Task.WaitAsync(RawClient.Patience);
        Assert.Equal("GET", handshake.Method);
        Assert.Equal("/ws?room=1", handshake.Target);
        Assert.Equal("Upgrade", handshake.Header("Connection"));
        Assert.Equal("websocket", handshake.Header("Upgrade"));
        Assert.Equal("13", handshake.Header("Sec-WebSocket-Version"));
        Assert.Equal("chat", handshake.Header("Sec-WebSocket-Protocol"));
        Assert.NotNull(handshake.Header("Sec-WebSocket-Key"));

        await client.SendTextAsync("héllo");
        Assert.Equal("héllo", Encoding.UTF8.GetString((await client.ReceiveMessageAsync()).Bytes));
        // Larger than every buffer on the way (the socket pipes pause at 64 KiB): backpressure, not loss.
        var binary = Noise(1 << 20);
        using (var timeout = new CancellationTokenSource(RawClient.Patience))
            await client.SendAsync(binary, WebSocketMessageType.Binary, endOfMessage: true, timeout.Token);
        var (type, bytes) = await client.ReceiveMessageAsync();
        Assert.Equal(WebSocketMessageType.Binary, type);
        Assert.Equal(binary, bytes);

        await client.CloseAsync("client done");
        Assert.Equal(WebSocketState.Closed, client.State);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, await echo.Finished.Task.WaitAsync(RawClient.Patience));
        var outcome = await proxy.NextOutcomeAsync();
        Assert.Equal(new ForwardOutcome(ForwardError.None, 101), outcome);
        Assert.Equal(0, proxy.Pool.IdleCount);
        Assert.Contains(proxy.Log.Lines, l => l.Contains("ended (Closed)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ServerCloses_ClientSeesTheCloseFrame_AndTheTunnelEndsClean()
    {
        var echo = new WebSocketEchoPeer();
        await using var upstream = new ScriptedUpstream(echo.RunAsync);
        await using var proxy = new ProxyUnderTest(upstream.Address, AsHandshake);
        using var client = await WebSocketClient.ConnectAsync(proxy.Port, "/ws");

        await client.SendTextAsync("close");
        var (type, _) = await client.ReceiveMessageAsync();
        Assert.Equal(WebSocketMessageType.Close, type);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, client.CloseStatus);
        Assert.Equal("server closes", client.CloseStatusDescription);
        using (var timeout = new CancellationTokenSource(RawClient.Patience))
            await client.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "ok", timeout.Token);

        Assert.Equal(WebSocketCloseStatus.NormalClosure, await echo.Finished.Task.WaitAsync(RawClient.Patience));
        Assert.Equal(101, (await proxy.NextOutcomeAsync()).StatusCode);
        Assert.Contains(proxy.Log.Lines, l => l.Contains("ended (Closed)", StringComparison.Ordinal));
        Assert.Equal(0, proxy.Pool.IdleCount);
    }

    [Fact]
    public async Task BytesSentRightBehindThe101_ReachTheClient()
    {
        await using var upstream = new ScriptedUpstream(async peer =>
        {
            await peer.ReadRequestAsync();
            // One send: the head and the first frame (unmasked text "hi") arrive together.
            await peer.SendAsync("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: x\r\n\r\n\u0081\u0002hi");
            peer.Socket.Shutdown(System.Net.Sockets.SocketShutdown.Send);
            await peer.WaitForEofAsync();
        });
        await using var proxy = new ProxyUnderTest(upstream.Address, AsHandshake);
        using var client = proxy.Connect();
        await client.SendAsync("GET /ws HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Key: k\r\nSec-WebSocket-Version: 13\r\n\r\n");

        var head = await client.ReadResponseAsync(keepInterim: true);
        Assert.Equal(101, head.Status);
        Assert.Equal("Upgrade", head.Header("Connection"));
        Assert.Equal("websocket", head.Header("Upgrade"));
        Assert.Equal("x", head.Header("Sec-WebSocket-Accept"));
        Assert.Null(head.Header("Content-Length"));
        Assert.Null(head.Header("Transfer-Encoding"));
        // Then the raw frame, then the upstream's FIN passed on as ours.
        Assert.Equal([0x81, 0x02, (byte)'h', (byte)'i'], await client.ReadToEndAsync());
    }

    [Fact]
    public async Task UpstreamRefusesTheHandshake_ItsAnswerIsForwarded()
    {
        await using var upstream = new ScriptedUpstream(async peer =>
        {
            while (await peer.ReadRequestAsync() is not null)
                await peer.SendAsync("HTTP/1.1 403 Forbidden\r\nContent-Length: 7\r\n\r\nno, thx");
        });
        await using var proxy = new ProxyUnderTest(upstream.Address, AsHandshake);
        using var client = proxy.Connect();
        await client.SendAsync("GET /ws HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Key: k\r\nSec-WebSocket-Version: 13\r\n\r\n");

        var response = await client.ReadResponseAsync();
        Assert.Equal(403, response.Status);
        Assert.Equal("no, thx", response.BodyText);
        // Still plain HTTP: the connection carries the next request.
        await client.SendAsync("GET /next HTTP/1.1\r\nHost: a\r\n\r\n");
        Assert.Equal(403, (await client.ReadResponseAsync()).Status);
    }

    [Fact]
    public async Task A101ThatDoesNotSwitchToWebSocket_Is502()
    {
        await using var upstream = new ScriptedUpstream(async peer =>
        {
            await peer.ReadRequestAsync();
            await peer.SendAsync("HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\nConnection: Upgrade\r\n\r\n");
            await peer.WaitForEofAsync();
        });
        await using var proxy = new ProxyUnderTest(upstream.Address, AsHandshake);
        using var client = proxy.Connect();
        await client.SendAsync("GET /ws HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Key: k\r\nSec-WebSocket-Version: 13\r\n\r\n");

        Assert.Equal(502, (await client.ReadResponseAsync()).Status);
    }

    [Fact]
    public async Task A101ToARequestThatAskedNoUpgrade_Is502()
    {
        await using var upstream = new ScriptedUpstream(async peer =>
        {
            await peer.ReadRequestAsync();
            await peer.SendAsync("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n");
            await peer.WaitForEofAsync();
        });
        await using var proxy = new ProxyUnderTest(upstream.Address, AsHandshake);
        using var client = proxy.Connect();
        await client.SendAsync("GET /plain HTTP/1.1\r\nHost: a\r\n\r\n");

        Assert.Equal(502, (await client.ReadResponseAsync()).Status);
    }

    [Fact]
    public async Task ServerStops_OpenWebSocketsAreResetAtOnce_NotWaitedFor()
    {
        var echo = new WebSocketEchoPeer();
        await using var upstream = new ScriptedUpstream(echo.RunAsync);
        // A stop that waited for the socket would wait this long: the stop completing at all shows it did not.
        await using var proxy = new ProxyUnderTest(upstream.Address, AsHandshake,
            configure: options => options with { ShutdownTimeout = TimeSpan.FromMinutes(10) });
        using var client = await WebSocketClient.ConnectAsync(proxy.Port, "/ws");
        await client.SendTextAsync("ping");
        Assert.Equal("ping", Encoding.UTF8.GetString((await client.ReceiveMessageAsync()).Bytes));

        await proxy.StopServerAsync().WaitAsync(RawClient.Patience);

        await Assert.ThrowsAnyAsync<WebSocketException>(() => client.ReceiveMessageAsync());
        Assert.Contains(proxy.Log.Lines, l => l.Contains("ended (", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ClientResets_TheUpstreamIsReset()
    {
        var upstreamSawEnd = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var upstream = new ScriptedUpstream(async peer =>
        {
            await peer.ReadRequestAsync();
            await peer.SendAsync("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n");
            await peer.WaitForEofAsync();
            upstreamSawEnd.TrySetResult();
        });
        await using var proxy = new ProxyUnderTest(upstream.Address, AsHandshake);
        using var client = proxy.Connect();
        await client.SendAsync("GET /ws HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n");
        Assert.Equal(101, (await client.ReadResponseAsync(keepInterim: true)).Status);

        client.Socket.LingerState = new System.Net.Sockets.LingerOption(true, 0);
        client.Socket.Close();

        await upstreamSawEnd.Task.WaitAsync(RawClient.Patience);
        Assert.Equal(101, (await proxy.NextOutcomeAsync()).StatusCode);
        Assert.Contains(proxy.Log.Lines, l => l.Contains("ended (ClientFailed)", StringComparison.Ordinal));
    }
}
