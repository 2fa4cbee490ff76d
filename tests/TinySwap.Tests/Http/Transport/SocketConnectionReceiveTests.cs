using System.Net;
using System.Net.Sockets;
using TinySwap.Http.Transport;

namespace TinySwap.Tests.Http.Transport;

/// <summary>How the receive loop sizes its reads: small for an idle or chatty connection, larger for a bulk body.</summary>
public sealed class SocketConnectionReceiveTests
{
    private const int BodyBytes = 256 * 1024;

    [Fact]
    public async Task BulkData_IsReadInBuffersLargerThanTheMinimum()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(listener.LocalEndPoint!);
        await using var connection = new SocketConnection(await listener.AcceptAsync());
        var sending = client.SendAsync(new byte[BodyBytes], SocketFlags.None);

        connection.Start();
        long total = 0;
        var largestSegment = 0;
        while (total < BodyBytes)
        {
            var result = await connection.Input.ReadAsync();
            foreach (var segment in result.Buffer)
                largestSegment = Math.Max(largestSegment, segment.Length);
            total += result.Buffer.Length;
            connection.Input.AdvanceTo(result.Buffer.End);
        }
        await sending;

        // 4 KiB reads would need 64 recv(2) calls (and as many sends onward) for this body.
        Assert.True(largestSegment > 4096, $"largest read {largestSegment} bytes");
        Assert.Equal(BodyBytes, total);
    }
}
