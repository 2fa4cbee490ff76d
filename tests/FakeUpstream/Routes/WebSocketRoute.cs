using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using FakeUpstream.Http;

namespace FakeUpstream.Routes;

/// <summary>
/// /ws: a WebSocket echo server (RFC 6455), as ComfyUI or llama.cpp's web UI would hold one open behind a proxy. Picks
/// the first offered subprotocol, echoes every message, and on the text message "close" starts the closing handshake
/// itself; either way it closes TCP first once the handshake is done (§7.1.1).
/// </summary>
internal static class WebSocketRoute
{
    public static async ValueTask EchoAsync(Exchange x)
    {
        var request = x.Request;
        if (!request.HeaderHasToken("Connection", "upgrade") || !request.HeaderHasToken("Upgrade", "websocket")
            || request.Header("Sec-WebSocket-Key") is not { } key || request.Method != "GET")
        {
            await x.SendErrorAsync(426, "/ws speaks WebSocket only");
            return;
        }
        var protocol = request.Header("Sec-WebSocket-Protocol")?.Split(',')[0].Trim();
        var accept = Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")));
        var stream = x.Upgrade();
        await stream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
            $"Sec-WebSocket-Accept: {accept}\r\n" + (protocol is null ? "" : $"Sec-WebSocket-Protocol: {protocol}\r\n") + "\r\n"), x.Cancel);
        using (var socket = WebSocket.CreateFromStream(stream,
                   new WebSocketCreationOptions { IsServer = true, SubProtocol = protocol, KeepAliveInterval = TimeSpan.Zero }))
        {
            await EchoUntilClosedAsync(socket, x.Cancel);
        }
        stream.ShutdownSend();
        // Until the client's own FIN, so the socket closes without unread bytes (which would make it a reset).
        var sink = new byte[1024];
        while (await stream.ReadAsync(sink, x.Cancel) > 0)
        {
        }
    }

    private static async Task EchoUntilClosedAsync(WebSocket socket, CancellationToken cancel)
    {
        var buffer = new byte[64 * 1024];
        var message = new MemoryStream();
        while (true)
        {
            var received = await socket.ReceiveAsync(buffer, cancel);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                await socket.CloseOutputAsync(received.CloseStatus ?? WebSocketCloseStatus.Empty, received.CloseStatusDescription, cancel);
                return;
            }
            message.Write(buffer, 0, received.Count);
            if (!received.EndOfMessage)
                continue;
            var bytes = message.ToArray();
            message.SetLength(0);
            if (received.MessageType == WebSocketMessageType.Text && bytes.AsSpan().SequenceEqual("close"u8))
            {
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "server closes", cancel);
                return;
            }
            await socket.SendAsync(bytes, received.MessageType, endOfMessage: true, cancel);
        }
    }
}
