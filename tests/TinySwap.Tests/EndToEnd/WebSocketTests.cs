using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using TinySwap.Tests.Support;
using TinySwap.Tests.WebSocket;

namespace TinySwap.Tests.EndToEnd;

/// <summary>
/// WebSockets through dist/tinyswap's `/upstream/{model}/` to dist/FakeUpstream's /ws echo (what ComfyUI and
/// llama.cpp's web UI hold open), and the two llama-swap rules that keep a web UI from starting models.
/// </summary>
public sealed class WebSocketTests
{
    private static readonly string[] Handshake =
        ["Connection: Upgrade", "Upgrade: websocket", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version: 13"];

    [Fact]
    public async Task Echo_ClosedByEitherSide_AndTheModelIsNotSwappedOutWhileASocketIsOpen()
    {
        var a = new FakeModel("a");
        var b = new FakeModel("b");
        await using var tinyswap = await TinySwapServer.StartAsync(FakeModel.Config("", a, b));

        // The client closes.
        using (var socket = await WebSocketClient.ConnectAsync(tinyswap.Port, "/upstream/a/ws", o => o.AddSubProtocol("comfy")))
        {
            Assert.Equal("comfy", socket.SubProtocol);
            await socket.SendTextAsync("héllo");
            Assert.Equal("héllo", Encoding.UTF8.GetString((await socket.ReceiveMessageAsync()).Bytes));
            var binary = new byte[300_000];
            new Random(6455).NextBytes(binary);
            using (var timeout = new CancellationTokenSource(TinySwapServer.Generous))
                await socket.SendAsync(binary, WebSocketMessageType.Binary, endOfMessage: true, timeout.Token);
            Assert.Equal(binary, (await socket.ReceiveMessageAsync()).Bytes);
            await socket.CloseAsync("client done");
            Assert.Equal(WebSocketState.Closed, socket.State);
        }

        // The server closes, while b is wanted: a is busy with the socket, so b waits for it (as llama-swap's scheduler does).
        using var held = await WebSocketClient.ConnectAsync(tinyswap.Port, "/upstream/a/ws");
        Assert.Equal(1, (await TinySwapApi.RunningAsync(tinyswap.Port)).Single(r => r.Model == "a").InFlight);
        var clock = Stopwatch.StartNew();
        var requestB = Task.Run(async () =>
        {
            var response = await RawHttp.PostJsonAsync(tinyswap.Port, "/v1/chat/completions", """{"model":"b"}""");
            return (Response: response, At: clock.Elapsed);
        });
        await held.SendTextAsync("still here");
        Assert.Equal("still here", Encoding.UTF8.GetString((await held.ReceiveMessageAsync()).Bytes));
        await held.SendTextAsync("close");
        Assert.Equal(WebSocketMessageType.Close, (await held.ReceiveMessageAsync()).Type);
        Assert.Equal("server closes", held.CloseStatusDescription);
        var closedAt = clock.Elapsed;
        using (var timeout = new CancellationTokenSource(TinySwapServer.Generous))
            await held.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "ok", timeout.Token);

        var (answerB, answeredAt) = await requestB.WaitAsync(TinySwapServer.Generous);
        Assert.True(answerB.Status == 200, answerB.ToString());
        Assert.True(answeredAt > closedAt, $"b answered at {answeredAt}, before a's socket closed at {closedAt}");
        await tinyswap.WaitForLogAsync("router[4006] a stopped");
    }

    [Fact]
    public async Task ClosedWebSocket_TinyswapKeepsNoSocketToTheModel()
    {
        var a = new FakeModel("a");
        await using var tinyswap = await TinySwapServer.StartAsync(FakeModel.Config("", a));
        await TinySwapApi.LoadAsync(tinyswap.Port, "a");
        var before = TcpTable.OpenPeersOf(a.Port);

        using (var socket = await WebSocketClient.ConnectAsync(tinyswap.Port, "/upstream/a/ws"))
        {
            await socket.SendTextAsync("ping");
            Assert.Equal("ping", Encoding.UTF8.GetString((await socket.ReceiveMessageAsync()).Bytes));
            var during = TcpTable.OpenPeersOf(a.Port);
            // The tunnel is a new connection, or the one idle connection the health probe left in the pool.
            var fresh = during.Except(before).ToList();
            var tunnel = fresh.Count == 1 ? fresh[0] : Assert.Single(during);
            await socket.CloseAsync("done");

            var clock = Stopwatch.StartNew();
            while (TcpTable.IsHeld(tunnel, a.Port) && clock.Elapsed < TinySwapServer.Generous)
                await Task.Delay(10);
            Assert.False(TcpTable.IsHeld(tunnel, a.Port), $"tinyswap still holds its connection to the model {clock.Elapsed} after the close");
        }
        var running = await TinySwapApi.PollRunningAsync(tinyswap.Port, r => r.All(m => m.InFlight == 0));
        Assert.Equal(0, Assert.Single(running).InFlight);
        // And the model is fine afterwards, over a pooled connection as ever.
        await TinySwapApi.CompleteOkAsync(tinyswap.Port, "a", servedBy: "a");
    }

    [Fact]
    public async Task IgnoredWebSockets_AndIgnoredPaths_DoNotStartAStoppedModel_OtherRequestsDo()
    {
        var a = new FakeModel("a", Settings: "compat:\n  ignoreWebsockets: true");
        await using var tinyswap = await TinySwapServer.StartAsync(FakeModel.Config("upstream:\n  ignorePaths: ['^/assets/', '\\.js$']", a));

        var socket = await RawHttp.SendAsync(tinyswap.Port, "GET", "/upstream/a/ws", extraHeaders: Handshake);
        Assert.True(socket.Status == 409, socket.ToString());
        Assert.Contains("model a is not loaded; ignored websocket requests cannot start it", socket.BodyText);
        var asset = await RawHttp.GetAsync(tinyswap.Port, "/upstream/a/assets/index.css");
        Assert.True(asset.Status == 409, asset.ToString());
        Assert.Contains("model a is not loaded; path matches upstream.ignorePaths", asset.BodyText);
        Assert.Empty(await TinySwapApi.RunningAsync(tinyswap.Port));
        Assert.Empty(tinyswap.ModelProcesses());

        // The page itself starts the model; then its assets and its socket are served.
        Assert.Equal(200, (await RawHttp.GetAsync(tinyswap.Port, "/upstream/a/health")).Status);
        Assert.Equal(200, (await RawHttp.GetAsync(tinyswap.Port, "/upstream/a/assets/index.css")).Status);
        using var open = await WebSocketClient.ConnectAsync(tinyswap.Port, "/upstream/a/ws");
        await open.SendTextAsync("ping");
        Assert.Equal("ping", Encoding.UTF8.GetString((await open.ReceiveMessageAsync()).Bytes));
        // An ignored socket is not the model's use.
        Assert.Equal(0, (await TinySwapApi.RunningAsync(tinyswap.Port)).Single(r => r.Model == "a").InFlight);
        await open.CloseAsync("done");
    }
}
