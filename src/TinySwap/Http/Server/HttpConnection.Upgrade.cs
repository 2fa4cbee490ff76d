using TinySwap.Http.Parsing;
using TinySwap.Http.Transport;

namespace TinySwap.Http.Server;

internal sealed partial class HttpConnection
{
    // Set once this connection carries another protocol: the server's stop resets it instead of waiting for it.
    private volatile bool _switched;

    /// <summary>
    /// Answers the current request with <c>101 Switching Protocols</c> (queued, not yet flushed) and hands the raw
    /// connection to the caller, who owns its bytes until the handler returns; the connection then closes instead of
    /// reading another request. Null when this request cannot switch: RFC 9110 §7.8 has a server ignore Upgrade in an
    /// HTTP/1.0 request, a request with a body would leave body bytes in front of the new protocol's, and a response
    /// that has started or a server that is stopping cannot take a long-lived connection. When the server stops, a
    /// switched connection is reset at once: it has no response to finish.
    /// </summary>
    internal ITunnelSide? SwitchProtocols(ReadOnlySpan<byte> protocol)
    {
        if (_head.Version != HttpVersion.Http11 || _head.BodyFraming.Kind != BodyKind.None || _response.HasStarted || Stopping)
            return null;
        _response.SwitchProtocols(protocol);
        _switched = true;
        return _transport;
    }
}
