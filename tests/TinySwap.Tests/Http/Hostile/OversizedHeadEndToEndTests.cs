using TinySwap.Tests.EndToEnd;
using TinySwap.Tests.Support;

namespace TinySwap.Tests.Http.Hostile;

/// <summary>Issue 10 item 1 against the published binary, as it was reported: floods past the cap, /health, SIGTERM.</summary>
public sealed class OversizedHeadEndToEndTests
{
    [Fact]
    public async Task HeadFloodsBeyondTheConnectionCap_HealthStill200_SigtermExitsZero()
    {
        const int cap = 4;
        var model = new FakeModel("a");
        await using var tinyswap = await TinySwapServer.StartAsync(FakeModel.Config($"limits:\n  maxConnections: {cap}\n", model));

        // Twice the cap, sequentially: a leaked slot shows as a 503 here or on /health below, and as a SIGTERM that
        // never completes (what the binary before the fix did).
        for (var i = 0; i < 2 * cap; i++)
        {
            using var connection = await RawHttpConnection.OpenAsync(tinyswap.Port);
            var send = connection.SendAsync(OversizedHeadTests.OversizedHead(i % 2 == 0 ? 512 : 1024));
            var response = await connection.ReadResponseAsync();
            Assert.True(response.Status == 431, $"flood {i}: {response.Status} {response.BodyText}");
            await OversizedHeadTests.IgnoreResetAsync(send);
        }

        // The last floods may still be closing; a slot comes back within the linger bound, never "stays 503".
        var health = await RawHttp.GetAsync(tinyswap.Port, "/health");
        var deadline = DateTime.UtcNow + TinySwapServer.Generous;
        while (health.Status == 503 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
            health = await RawHttp.GetAsync(tinyswap.Port, "/health");
        }
        Assert.Equal(200, health.Status);

        tinyswap.Signal(ProcessTable.SIGTERM);
        Assert.Equal(0, await tinyswap.WaitForExitAsync());
    }
}
