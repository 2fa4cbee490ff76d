using System.Net.Sockets;
using TinySwap.Config;
using TinySwap.Tests.Http.Support;
using TinySwap.Tests.Support;

namespace TinySwap.Tests.Http;

/// <summary>A config reload's `listen` and `limits` reach the running server without dropping what is in flight.</summary>
public sealed class ListenerReloadTests
{
    [Fact]
    public async Task UpdateListen_NewAddressServes_OldClosesAfterItsInFlightRequestCompletes()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var echo = new EchoHandler();
        await using var server = new TestServer(async exchange =>
        {
            if (exchange.Request.Target.SequenceEqual("/slow"u8.ToArray()))
            {
                arrived.TrySetResult();
                await release.Task;
            }
            await echo.HandleAsync(exchange);
        });
        using var inFlight = server.Connect();
        await inFlight.SendAsync("GET /slow HTTP/1.1\r\nHost: a\r\n\r\n");
        await arrived.Task.WaitAsync(RawClient.Patience);

        var newPort = FreePort.Next();
        var error = await server.Server.UpdateListenAsync([$"127.0.0.1:{newPort}"]);

        Assert.Null(error);
        using (var fresh = RawClient.Connect(newPort))
        {
            await fresh.SendAsync("GET /new HTTP/1.1\r\nHost: a\r\n\r\n");
            Assert.Equal(200, (await fresh.ReadResponseAsync()).Status);
        }
        var refused = Assert.Throws<SocketException>(() => RawClient.Connect(server.Port));
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
        release.SetResult();
        var slow = await inFlight.ReadResponseAsync();
        Assert.Equal(200, slow.Status);
        Assert.Equal("/slow", slow.Header("X-Target"));
    }

    [Fact]
    public async Task UpdateListen_AddressTaken_KeepsTheOldListenerAndSaysWhy()
    {
        using var taken = new TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        var takenPort = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;
        await using var server = new TestServer(new EchoHandler());

        var error = await server.Server.UpdateListenAsync([$"127.0.0.1:{takenPort}"]);

        Assert.NotNull(error);
        Assert.Contains($"127.0.0.1:{takenPort}", error);
        using var client = server.Connect();
        await client.SendAsync("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        Assert.Equal(200, (await client.ReadResponseAsync()).Status);
    }

    [Fact]
    public async Task UpdateLimits_ApplyToNewConnections_OpenOnesKeepTheirs()
    {
        await using var server = new TestServer(new EchoHandler());
        using var before = server.Connect();
        await before.SendAsync("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        Assert.Equal(200, (await before.ReadResponseAsync()).Status);

        server.Server.UpdateLimits(new HttpLimits { MaxHeaderCount = 2 });

        const string threeHeaders = "GET / HTTP/1.1\r\nHost: a\r\nX-A: 1\r\nX-B: 2\r\n\r\n";
        using var after = server.Connect();
        await after.SendAsync(threeHeaders);
        Assert.Equal(431, (await after.ReadResponseAsync()).Status);
        await before.SendAsync(threeHeaders);
        Assert.Equal(200, (await before.ReadResponseAsync()).Status);
    }
}
