using System.Net;
using System.Net.Sockets;

namespace FakeUpstream.Http;

/// <summary>Accepts connections and runs each on its own task: enough for tens of thousands of requests a second.</summary>
internal sealed class HttpServer(Socket listener, Func<Exchange, ValueTask> route)
{
    private const int SolSocket = 1, SoReuseAddr = 2; // <sys/socket.h> on Linux
    /// <summary>Binds and listens at once, so a caller can print "listening" before the first accept.</summary>
    public static HttpServer Listen(string host, int port, Func<Exchange, ValueTask> route)
    {
        var address = IPAddress.Parse(host);
        var listener = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        // SO_REUSEADDR alone: a restart on the same port must not fail on the last run's TIME_WAIT sockets.
        // Not SocketOptionName.ReuseAddress: on Linux .NET adds SO_REUSEPORT to it, which would let a second
        // server share a port that is in use instead of failing.
        listener.SetRawSocketOption(SolSocket, SoReuseAddr, BitConverter.GetBytes(1));
        listener.Bind(new IPEndPoint(address, port));
        listener.Listen(1024);
        return new HttpServer(listener, route);
    }

    public IPEndPoint LocalEndPoint => (IPEndPoint)listener.LocalEndPoint!;

    public async Task RunAsync(CancellationToken cancel)
    {
        while (!cancel.IsCancellationRequested)
        {
            var socket = await listener.AcceptAsync(cancel);
            socket.NoDelay = true;
            _ = Task.Run(() => new HttpConnection(socket, route).RunAsync(cancel), CancellationToken.None);
        }
    }
}
