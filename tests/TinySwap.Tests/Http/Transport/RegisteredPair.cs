using System.Net;
using System.Net.Sockets;
using TinySwap.Http.Transport;

namespace TinySwap.Tests.Http.Transport;

/// <summary>A loopback connection whose server side is registered on the loop; disposing closes all of it.</summary>
internal sealed class RegisteredPair(Socket client, Socket server, SocketReadiness readiness) : IDisposable
{
    public Socket Client => client;
    public SocketReadiness Readiness => readiness;

    /// <param name="beforeRegistering">What the client does before the server side is registered.</param>
    public static async Task<RegisteredPair> ConnectAsync(Action<Socket>? beforeRegistering = null)
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(listener.LocalEndPoint!);
        var server = await listener.AcceptAsync();
        beforeRegistering?.Invoke(client);
        return new RegisteredPair(client, server, SocketReadiness.Register(server.SafeHandle));
    }

    public void Dispose()
    {
        readiness.Close();
        server.Dispose();
        client.Dispose();
    }
}
