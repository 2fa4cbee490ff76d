using System.Net.WebSockets;
using System.Text;
using TinySwap.Tests.Http.Support;
using TinySwap.Tests.Proxy.Security;

namespace TinySwap.Tests.WebSocket;

/// <summary>
/// `/upstream/{model}/…` through tinyswap's front door: browser rules hold for WebSockets too, a WebSocket counts as its
/// model's use while open unless `compat.ignoreWebsockets`, and `upstream.ignorePaths` / ignored WebSockets never start
/// a stopped model (409, as llama-swap answers).
/// </summary>
public sealed class WebSocketFrontDoorTests
{
    private const string Handshake = "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n";

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        // The lease is released after the handler returns, which no client can observe: poll, within the patience.
        var deadline = DateTime.UtcNow + RawClient.Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met in time");
            await Task.Delay(10);
        }
    }

    [Fact]
    public async Task OpenWebSocket_CountsAsItsModelsUse_UntilClosed()
    {
        var echo = new WebSocketEchoPeer();
        await using var door = new FrontDoor(upstream: echo.RunAsync);
        door.Gate.Stopped["a"] = true;
        using var client = await WebSocketClient.ConnectAsync(door.Port, "/upstream/a/ws");

        Assert.Equal(["a"], door.Gate.Started); // a WebSocket may start its model, as any request
        Assert.Equal("/ws", (await echo.Handshake.Task.WaitAsync(RawClient.Patience)).Target);
        await client.SendTextAsync("ping");
        Assert.Equal("ping", Encoding.UTF8.GetString((await client.ReceiveMessageAsync()).Bytes));
        Assert.Equal(1, door.Gate.InFlight("a")); // held: the model cannot be evicted from under the socket

        await client.CloseAsync("done");
        await echo.Finished.Task.WaitAsync(RawClient.Patience);
        await WaitUntilAsync(() => door.Gate.InFlight("a") == 0);
    }

    [Fact]
    public async Task IgnoredWebSocket_RunningModel_ServedWithoutCounting()
    {
        var echo = new WebSocketEchoPeer();
        await using var door = new FrontDoor(model: m => m with { IgnoreWebsockets = true }, upstream: echo.RunAsync);
        using var client = await WebSocketClient.ConnectAsync(door.Port, "/upstream/a/ws");

        await client.SendTextAsync("ping");
        Assert.Equal("ping", Encoding.UTF8.GetString((await client.ReceiveMessageAsync()).Bytes));
        Assert.Equal(0, door.Gate.InFlight("a"));
        await client.CloseAsync("done");
        Assert.Equal(WebSocketCloseStatus.NormalClosure, await echo.Finished.Task.WaitAsync(RawClient.Patience));
    }

    [Fact]
    public async Task IgnoredWebSocket_StoppedModel_409_AndNotStarted()
    {
        await using var door = new FrontDoor(model: m => m with { IgnoreWebsockets = true });
        door.Gate.Stopped["a"] = true;

        var response = await door.SendAsync("GET", "/upstream/a/ws", "localhost", headers: Handshake.Split("\r\n", StringSplitOptions.RemoveEmptyEntries));

        Assert.Equal(409, response.Status);
        Assert.Contains("model a is not loaded; ignored websocket requests cannot start it", response.BodyText);
        Assert.Empty(door.Gate.Started);
        Assert.Empty(door.Received);
    }

    [Fact]
    public async Task IgnoreWebsockets_PlainRequests_StillStartTheModel()
    {
        await using var door = new FrontDoor(model: m => m with { IgnoreWebsockets = true });
        door.Gate.Stopped["a"] = true;

        Assert.Equal(200, (await door.SendAsync("GET", "/upstream/a/", "localhost")).Status);
        Assert.Equal(["a"], door.Gate.Started);
    }

    [Theory]
    [InlineData("/upstream/a/assets/app.js")]
    [InlineData("/upstream/a/favicon.ico")]
    [InlineData("/upstream/a/app%2Ejs")] // matched decoded, as llama-swap's router sees it
    [InlineData("/upstream/a/x/../props.json?v=2")]
    public async Task IgnoredPath_StoppedModel_409_AndNotStarted(string target)
    {
        await using var door = new FrontDoor();
        door.Gate.Stopped["a"] = true;

        var response = await door.SendAsync("GET", target, "localhost");

        Assert.Equal(409, response.Status);
        Assert.Contains("model a is not loaded; path matches upstream.ignorePaths", response.BodyText);
        Assert.Empty(door.Gate.Started);
        Assert.Empty(door.Received);
    }

    [Fact]
    public async Task IgnoredPath_RunningModel_Served()
    {
        await using var door = new FrontDoor();

        var response = await door.SendAsync("GET", "/upstream/a/assets/app.js", "localhost");

        Assert.Equal(200, response.Status);
        Assert.Equal("/assets/app.js", Assert.Single(door.Received).Target);
        Assert.Empty(door.Gate.Started);
    }

    [Fact]
    public async Task PathNotIgnored_StoppedModel_IsStarted()
    {
        await using var door = new FrontDoor();
        door.Gate.Stopped["a"] = true;

        Assert.Equal(200, (await door.SendAsync("GET", "/upstream/a/v1/models", "localhost")).Status);
        Assert.Equal(["a"], door.Gate.Started);
    }

    [Fact]
    public async Task ForeignOrigin_WebSocket_Refused_SameOrigin_Accepted()
    {
        var echo = new WebSocketEchoPeer();
        await using var door = new FrontDoor(upstream: echo.RunAsync);
        // Cross-site WebSocket hijacking: a page elsewhere opening a socket with the user's network position.
        var refused = await Assert.ThrowsAsync<WebSocketException>(() =>
            WebSocketClient.ConnectAsync(door.Port, "/upstream/a/ws", o => o.SetRequestHeader("Origin", "http://evil.example")));
        Assert.Contains("403", refused.Message);
        Assert.False(echo.Handshake.Task.IsCompleted);

        using var client = await WebSocketClient.ConnectAsync(door.Port, "/upstream/a/ws",
            o => o.SetRequestHeader("Origin", $"http://127.0.0.1:{door.Port}"));
        await client.SendTextAsync("same origin");
        Assert.Equal("same origin", Encoding.UTF8.GetString((await client.ReceiveMessageAsync()).Bytes));
        await client.CloseAsync("done");
    }

    [Theory]
    [InlineData("POST", "HTTP/1.1", "a WebSocket handshake must be a GET request")]
    [InlineData("GET", "HTTP/1.0", "a WebSocket handshake needs HTTP/1.1")]
    public async Task HandshakeThatCannotSwitch_400(string method, string version, string message)
    {
        await using var door = new FrontDoor();
        using var client = door.Connect();
        await client.SendAsync($"{method} /upstream/a/ws {version}\r\nHost: localhost\r\n{Handshake}Content-Length: 0\r\n\r\n");

        var response = await client.ReadResponseAsync();

        Assert.Equal(400, response.Status);
        Assert.Contains(message, response.BodyText);
        Assert.Empty(door.Received);
    }
}
