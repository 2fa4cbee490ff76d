using System.Buffers;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
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

    /// <summary>
    /// TLS over the loop (what an https:// peer gets): megabytes each way, far past the socket buffers, so writes wait for
    /// room and reads for data, and every byte comes back through the echo in order.
    /// </summary>
    [Fact]
    public async Task SslStreamOverTheLoop_CarriesMegabytesBothWays()
    {
        using var listener = Listen(IPAddress.Loopback);
        using var certificate = SelfSigned();
        var echo = Task.Run(async () =>
        {
            using var accepted = await listener.AcceptAsync();
            await using var tls = new SslStream(new NetworkStream(accepted, ownsSocket: false));
            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = certificate });
            var buffer = new byte[64 * 1024];
            int n;
            while ((n = await tls.ReadAsync(buffer)) > 0)
                await tls.WriteAsync(buffer.AsMemory(0, n));
        });
        var (socket, readiness) = await TcpConnector.ConnectAsync(listener.LocalEndPoint!, CancellationToken.None);
        try
        {
            await using var client = new SslStream(new ReadinessStream(readiness));
            await client.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "localhost",
                RemoteCertificateValidationCallback = (_, _, _, _) => true,
            });
            var sent = new byte[8 * 1024 * 1024];
            new Random(7).NextBytes(sent);

            var writing = Task.Run(async () => await client.WriteAsync(sent));
            var received = new byte[sent.Length];
            for (var total = 0; total < received.Length;)
                total += await client.ReadAsync(received.AsMemory(total)).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
            await writing;

            Assert.True(received.AsSpan().SequenceEqual(sent));
        }
        finally
        {
            readiness.Close();
            socket.Dispose();
        }
        await echo.WaitAsync(TimeSpan.FromSeconds(10));
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
    }

    private static Socket Listen(IPAddress address, int backlog = 4)
    {
        var listener = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(address, 0));
        listener.Listen(backlog);
        return listener;
    }
}
