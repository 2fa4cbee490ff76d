using System.Diagnostics;
using TinySwap.Tests.Support;

namespace TinySwap.Tests.EndToEnd;

/// <summary>Client connections end on tinyswap's terms: a client that never closes its side cannot hold one.</summary>
public sealed class ConnectionCloseTests
{
    [Fact]
    public async Task ClientKeepingItsSocketOpenAfterConnectionClose_IsLetGoAfterTheLinger()
    {
        await using var tinyswap = await TinySwapServer.StartAsync(FakeModel.Config("", new FakeModel("a")));
        using var connection = await RawHttpConnection.OpenAsync(tinyswap.Port);
        await connection.SendRequestAsync("GET", "/health", extraHeaders: ["Connection: close"]);

        Assert.Equal(200, (await connection.ReadResponseAsync()).Status);
        Assert.True(await connection.IsClosedByPeerAsync(), "no FIN after a Connection: close response");
        // The client neither sends nor closes. tinyswap keeps reading for a moment (closing with unread input would
        // reset the connection under the response), but only for its linger time, not for as long as the client likes.
        var clock = Stopwatch.StartNew();
        while (TcpTable.IsHeld(tinyswap.Port, connection.LocalPort) && clock.Elapsed < TinySwapServer.Generous)
            await Task.Delay(20);

        Assert.False(TcpTable.IsHeld(tinyswap.Port, connection.LocalPort), $"tinyswap still holds the connection after {clock.Elapsed}");
    }
}
