using System.Net.WebSockets;
using System.Text;
using TinySwap.Tests.Http.Support;

namespace TinySwap.Tests.WebSocket;

/// <summary>System.Net's <see cref="ClientWebSocket"/> (a real RFC 6455 client) with the helpers the tests share.</summary>
internal static class WebSocketClient
{
    public static async Task<ClientWebSocket> ConnectAsync(int port, string path, Action<ClientWebSocketOptions>? options = null)
    {
        var client = new ClientWebSocket();
        client.Options.KeepAliveInterval = TimeSpan.Zero;
        options?.Invoke(client.Options);
        using var timeout = new CancellationTokenSource(RawClient.Patience);
        try
        {
            await client.ConnectAsync(new Uri($"ws://127.0.0.1:{port}{path}"), timeout.Token);
        }
        catch
        {
            client.Dispose();
            throw;
        }
        return client;
    }

    public static async Task SendTextAsync(this ClientWebSocket client, string text)
    {
        using var timeout = new CancellationTokenSource(RawClient.Patience);
        await client.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, timeout.Token);
    }

    /// <summary>One whole message (its frames joined), or the close frame's (type Close, no bytes).</summary>
    public static async Task<(WebSocketMessageType Type, byte[] Bytes)> ReceiveMessageAsync(this ClientWebSocket client)
    {
        using var timeout = new CancellationTokenSource(RawClient.Patience);
        var buffer = new byte[64 * 1024];
        var message = new MemoryStream();
        while (true)
        {
            var received = await client.ReceiveAsync(buffer, timeout.Token);
            message.Write(buffer, 0, received.Count);
            if (received.EndOfMessage || received.MessageType == WebSocketMessageType.Close)
                return (received.MessageType, message.ToArray());
        }
    }

    public static async Task CloseAsync(this ClientWebSocket client, string description)
    {
        using var timeout = new CancellationTokenSource(RawClient.Patience);
        await client.CloseAsync(WebSocketCloseStatus.NormalClosure, description, timeout.Token);
    }
}
