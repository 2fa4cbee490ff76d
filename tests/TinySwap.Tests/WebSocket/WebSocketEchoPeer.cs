using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using TinySwap.Tests.Http.Support;

namespace TinySwap.Tests.WebSocket;

/// <summary>
/// A WebSocket echo server as a <see cref="ScriptedUpstream"/> script: answers the handshake (RFC 6455 §4.2.2, picking
/// the first offered subprotocol), echoes every message, and on the text message "close" starts the closing handshake
/// itself. Either way it closes TCP after the closing handshake, as RFC 6455 §7.1.1 asks of a server.
/// </summary>
internal sealed class WebSocketEchoPeer
{
    public TaskCompletionSource<UpstreamRequest> Handshake { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes with the close status the server saw (sent or received) once its TCP connection is closed.</summary>
    public TaskCompletionSource<WebSocketCloseStatus?> Finished { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static string Accept(string key) =>
        Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")));

    public async Task RunAsync(UpstreamPeer peer)
    {
        var request = await peer.ReadRequestAsync();
        Handshake.TrySetResult(request!);
        var protocol = request!.Header("Sec-WebSocket-Protocol")?.Split(',')[0].Trim();
        await peer.SendAsync("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
                             $"Sec-WebSocket-Accept: {Accept(request.Header("Sec-WebSocket-Key")!)}\r\n" +
                             (protocol is null ? "" : $"Sec-WebSocket-Protocol: {protocol}\r\n") + "X-Echo: yes\r\n\r\n");
        await using var stream = new NetworkStream(peer.Socket, ownsSocket: false);
        using var socket = System.Net.WebSockets.WebSocket.CreateFromStream(stream,
            new WebSocketCreationOptions { IsServer = true, SubProtocol = protocol, KeepAliveInterval = TimeSpan.Zero });
        try
        {
            await EchoAsync(socket);
        }
        finally
        {
            peer.Socket.Shutdown(SocketShutdown.Send);
            await peer.WaitForEofAsync();
            Finished.TrySetResult(socket.CloseStatus);
        }
    }

    private static async Task EchoAsync(System.Net.WebSockets.WebSocket socket)
    {
        var buffer = new byte[64 * 1024];
        var message = new MemoryStream();
        while (true)
        {
            var received = await socket.ReceiveAsync(buffer, CancellationToken.None);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                await socket.CloseOutputAsync(received.CloseStatus ?? WebSocketCloseStatus.Empty, received.CloseStatusDescription, CancellationToken.None);
                return;
            }
            message.Write(buffer, 0, received.Count);
            if (!received.EndOfMessage)
                continue;
            var bytes = message.ToArray();
            message.SetLength(0);
            if (received.MessageType == WebSocketMessageType.Text && Encoding.UTF8.GetString(bytes) == "close")
            {
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "server closes", CancellationToken.None);
                return;
            }
            await socket.SendAsync(bytes, received.MessageType, endOfMessage: true, CancellationToken.None);
        }
    }
}
