using System.Buffers;
using System.Net;
using System.Net.Sockets;
using TinySwap.Http.Transport;

namespace TinySwap.Tests.Http.Transport;

/// <summary>Connects made on our readiness loop: both address families, host names, refusals and cancellation.</summary>
public sealed class TcpConnectorTests
{
    public static TheoryData<string> Loopbacks => new() { "127.0.0.1", "::1" };

    [Theory]
    [MemberData(nameof(Loopbacks))]
    public async Task ConnectAsync_ToAListener_GivesAConnectedSocketThatCarriesBytes(string address)
    {
        using var listener = Listen(IPAddress.Parse(address));

        var (socket, readiness) = await TcpConnector.ConnectAsync(listener.LocalEndPoint!, CancellationToken.None);
        await using var connection = new SocketConnection(socket, readiness: readiness);
        connection.Start();
        using var accepted = await listener.AcceptAsync();
        connection.Output.Write("ping"u8);
        await connection.Output.FlushAsync();

        Assert.True(socket.Connected);
        Assert.Equal(listener.LocalEndPoint, socket.RemoteEndPoint);
        var buffer = new byte[4];
        Assert.Equal(4, await accepted.ReceiveAsync(buffer, SocketFlags.None));
        Assert.Equal("ping"u8.ToArray(), buffer);
    }

    [Fact]
    public async Task ConnectAsync_ByHostName_Connects()
    {
        using var listener = Listen(IPAddress.Loopback);
        var port = ((IPEndPoint)listener.LocalEndPoint!).Port;

        var (socket, readiness) = await TcpConnector.ConnectAsync(new DnsEndPoint("localhost", port), CancellationToken.None);
        readiness.Close();
        socket.Dispose();
    }

    [Fact]
    public async Task ConnectAsync_ToAPortNobodyListensOn_FailsRefused()
    {
        IPEndPoint closed;
        using (var listener = Listen(IPAddress.Loopback))
            closed = (IPEndPoint)listener.LocalEndPoint!;

        var error = await Assert.ThrowsAsync<SocketException>(() => TcpConnector.ConnectAsync(closed, CancellationToken.None).AsTask());

        Assert.Equal(SocketError.ConnectionRefused, error.SocketErrorCode);
    }

    [Fact]
    public async Task ConnectAsync_HandshakeNeverAnswered_EndsWhenCanceled()
    {
        // A listener whose accept queue is full drops further SYNs (tcp_abort_on_overflow is off by default), so the
        // next connect stays in SYN_SENT until we give up.
        using var listener = Listen(IPAddress.Loopback, backlog: 0);
        var fillers = new List<Socket>();
        try
        {
            for (var i = 0; i < 4; i++)
            {
                var filler = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                fillers.Add(filler);
                _ = filler.ConnectAsync(listener.LocalEndPoint!);
            }
            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

            var connect = TcpConnector.ConnectAsync(listener.LocalEndPoint!, cancel.Token).AsTask();

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => connect.WaitAsync(TimeSpan.FromSeconds(10)));
        }
        finally
        {
            foreach (var filler in fillers)
                filler.Dispose();
        }
    }

    private static Socket Listen(IPAddress address, int backlog = 4)
    {
        var listener = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(address, 0));
        listener.Listen(backlog);
        return listener;
    }
}
