using System.Text;
using TinySwap.Config;
using TinySwap.Tests.Http.Support;

namespace TinySwap.Tests.Http.Hostile;

/// <summary>
/// Issue 10 item 1: a head of hundreds of KiB got its 431 and then kept its connection slot forever (the lingering
/// close stopped reading at the drain limit while the receive loop sat on a full pipe), so the cap filled up and a
/// stop never finished. Each case floods, checks the slot comes back, that /health answers, and that the stop ends.
/// </summary>
public sealed class OversizedHeadTests
{
    [Theory]
    [InlineData(256)]
    [InlineData(512)]
    [InlineData(1024)]
    public async Task OversizedHead_431_SlotReturned_HealthAnswers_StopCompletes(int headKiB)
    {
        var server = new TestServer(new EchoHandler(), new HttpLimits { MaxConnections = 2 });
        try
        {
            // More floods than slots, each waited out: with the leak no slot ever comes back. (Without the wait the next
            // flood can arrive while the server still drains the last one's bytes, and a full server rightly says 503.)
            for (var i = 0; i < 3; i++)
            {
                using (var client = server.Connect())
                {
                    var send = client.SendAsync(OversizedHead(headKiB));
                    var response = await client.ReadResponseAsync();
                    Assert.Equal(431, response.Status);
                    await IgnoreResetAsync(send);
                }
                await WaitUntilAsync(() => server.Server.ConnectionCount == 0);
            }

            using var health = server.Connect();
            await health.SendAsync("GET /health HTTP/1.1\r\nHost: a\r\n\r\n");
            Assert.Equal(200, (await health.ReadResponseAsync()).Status);
        }
        finally
        {
            await server.DisposeAsync().AsTask().WaitAsync(RawClient.Patience);
        }
    }

    [Theory]
    [InlineData(512)]
    [InlineData(1024)]
    public async Task OversizedHead_ClientStaysOpen_StopStillCompletes(int headKiB)
    {
        var server = new TestServer(new EchoHandler());
        using var client = server.Connect();
        var send = client.SendAsync(OversizedHead(headKiB));
        Assert.Equal(431, (await client.ReadResponseAsync()).Status);
        // The client neither reads further nor closes: the server's own bounds must end the connection.
        await server.DisposeAsync().AsTask().WaitAsync(RawClient.Patience);
        Assert.Equal(0, server.Server.ConnectionCount);
        await IgnoreResetAsync(send);
    }

    /// <summary>A request whose head is <paramref name="kib"/> KiB of 1 KiB header lines, the original trigger.</summary>
    internal static byte[] OversizedHead(int kib)
    {
        var head = new StringBuilder("GET /health HTTP/1.1\r\nHost: a\r\n");
        for (var i = 0; i < kib; i++)
            head.Append("X-Fill-").Append(i.ToString("D5")).Append(": ").Append('x', 1024 - 16).Append("\r\n");
        head.Append("\r\n");
        return Encoding.ASCII.GetBytes(head.ToString());
    }

    /// <summary>The server may reset a flood it stopped reading; the send failing then is expected.</summary>
    internal static async Task IgnoreResetAsync(Task send)
    {
        try
        {
            await send.WaitAsync(RawClient.Patience);
        }
        catch (System.Net.Sockets.SocketException)
        {
        }
    }

    internal static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + RawClient.Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within " + RawClient.Patience);
            await Task.Delay(10);
        }
    }
}
