using TinySwap.Http.Server;
using TinySwap.Http.Transport;
using TinySwap.Http.Upstream;

namespace TinySwap.Proxy.Forwarding;

internal sealed partial class HttpForwarder
{
    /// <summary>
    /// How long one direction of a tunnel may stay open once the other has closed cleanly: a WebSocket closing
    /// handshake needs one round trip after the first close frame, and a peer that never closes must not hold two
    /// connections (and its model's lease) forever.
    /// </summary>
    internal static readonly TimeSpan HalfCloseGrace = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The model answered 101 to a WebSocket handshake: send the client our 101 with the model's end-to-end fields
    /// (Sec-WebSocket-Accept, -Protocol, -Extensions, cookies), then pump bytes both ways until both sides have closed.
    /// The upstream connection is closed here: cleanly after a clean end, reset otherwise, never pooled.
    /// </summary>
    private async ValueTask<ForwardOutcome> TunnelAsync(HttpExchange exchange, UpstreamConnection connection)
    {
        var upstream = connection.Response;
        if (!WebSocketHandshake.IsAccepted(upstream))
        {
            UpstreamPool.Discard(connection);
            return new(ForwardError.UpstreamResponse, 0, Detail: "the model answered 101 without switching to websocket");
        }
        CopyFields(upstream, exchange.Response);
        // Checked before the handshake was sent; only a server that began stopping since then refuses here, and after
        // the model switched there is nothing honest left to answer: both connections are reset.
        if (exchange.SwitchProtocols(WebSocketHandshake.Protocol) is not { } client)
        {
            UpstreamPool.Discard(connection);
            return new(ForwardError.Canceled, 0, Detail: "the server is stopping");
        }
        try
        {
            // The 101 leaves now: the client waits for it before its first frame, and the model may say nothing first.
            await client.Output.FlushAsync();
        }
        catch (Exception ex) when (IoFailure.IsConnectionFailure(ex))
        {
            UpstreamPool.Discard(connection);
            return new(ForwardError.ResponseBodyClient, 0, Detail: ex.Message);
        }

        var outcome = await TunnelPump.RunAsync(client, connection.Tunnel, HalfCloseGrace, TimeProvider.System);
        ForwarderLog.TunnelEnded(logger, connection.Pool.Address, outcome.Ending, outcome.ClientToUpstreamBytes, outcome.UpstreamToClientBytes);
        if (outcome.Ending == TunnelEnding.Closed)
            await connection.DisposeAsync();
        else
            UpstreamPool.Discard(connection);
        return new(ForwardError.None, 101);
    }
}
