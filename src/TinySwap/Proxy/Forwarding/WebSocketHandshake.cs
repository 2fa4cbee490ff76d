using System.Text;
using TinySwap.Http.Parsing;
using TinySwap.Http.Server;
using TinySwap.Http.Upstream;

namespace TinySwap.Proxy.Forwarding;

/// <summary>Why a WebSocket opening handshake cannot be forwarded (RFC 6455 §4.1 and RFC 9110 §7.8).</summary>
internal enum WebSocketRequestProblem : byte
{
    None,
    /// <summary>§4.1 item 2: the handshake is a GET.</summary>
    NotGet,
    /// <summary>§4.1 item 2: HTTP/1.1 at least; RFC 9110 §7.8 has a server ignore Upgrade in HTTP/1.0.</summary>
    NotHttp11,
    /// <summary>A body would sit between the handshake and the first frame; no client sends one.</summary>
    HasBody,
}

/// <summary>
/// The WebSocket opening handshake as a proxy sees it, from header values alone. The request is one when
/// <c>Connection</c> lists <c>upgrade</c> and <c>Upgrade</c> lists <c>websocket</c> (tokens compared without case,
/// across repeated fields, as llama-swap reads them). Its <c>Sec-WebSocket-*</c> fields are end-to-end and pass as
/// any other field; <c>Connection</c> and <c>Upgrade</c> are hop-by-hop, so the forwarder writes its own pair.
/// The key and version are the model server's to check: it answers 400 or 426 itself, and that answer is forwarded.
/// </summary>
internal static class WebSocketHandshake
{
    /// <summary>The upgrade fields the forwarder sends in place of the client's (RFC 6455 §4.1 items 5 and 6).</summary>
    public static ReadOnlySpan<byte> UpgradeFields => "Connection: Upgrade\r\nUpgrade: websocket\r\n"u8;

    /// <summary>The protocol token of the 101 we send the client.</summary>
    public static ReadOnlySpan<byte> Protocol => "websocket"u8;

    /// <summary>Whether the client asks to switch this connection to WebSocket.</summary>
    public static bool IsRequested(RequestHead request) => SwitchesToWebSocket(request);

    /// <summary>What keeps a requested handshake from being forwarded as one.</summary>
    public static WebSocketRequestProblem Check(RequestHead request) =>
        !request.MethodIs("GET"u8) ? WebSocketRequestProblem.NotGet
        : request.Version != HttpVersion.Http11 ? WebSocketRequestProblem.NotHttp11
        : request.BodyFraming.Kind != BodyKind.None ? WebSocketRequestProblem.HasBody
        : WebSocketRequestProblem.None;

    public static string Describe(WebSocketRequestProblem problem) => problem switch
    {
        WebSocketRequestProblem.NotGet => "a WebSocket handshake must be a GET request",
        WebSocketRequestProblem.NotHttp11 => "a WebSocket handshake needs HTTP/1.1",
        WebSocketRequestProblem.HasBody => "a WebSocket handshake carries no body",
        _ => "",
    };

    /// <summary>
    /// Whether the model's 101 really switches to WebSocket (RFC 6455 §4.1, the client's checks 2 and 3:
    /// <c>Upgrade: websocket</c> and <c>Connection: Upgrade</c>). Any other 101 is a broken upstream: 502.
    /// </summary>
    public static bool IsAccepted(ResponseHead response) => response.StatusCode == 101 && SwitchesToWebSocket(response);

    /// <summary><c>Connection</c> lists <c>upgrade</c> and <c>Upgrade</c> lists <c>websocket</c>, in any of their fields.</summary>
    private static bool SwitchesToWebSocket<TFields>(TFields head) where TFields : IFieldList
    {
        var connectionUpgrade = false;
        var upgradeWebSocket = false;
        for (var i = 0; i < head.HeaderCount; i++)
        {
            var name = head.HeaderName(i);
            if (Ascii.EqualsIgnoreCase(name, "connection"u8))
                connectionUpgrade |= HopByHopHeaders.IsNominated("upgrade"u8, head.HeaderValue(i));
            else if (Ascii.EqualsIgnoreCase(name, "upgrade"u8))
                upgradeWebSocket |= HopByHopHeaders.IsNominated(Protocol, head.HeaderValue(i));
        }
        return connectionUpgrade && upgradeWebSocket;
    }
}
