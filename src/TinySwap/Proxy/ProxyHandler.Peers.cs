using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.Logging;
using TinySwap.Config;
using TinySwap.Http.Buffers;
using TinySwap.Http.Parsing;
using TinySwap.Http.Server;
using TinySwap.Http.Transport;
using TinySwap.Proxy.Forwarding;

namespace TinySwap.Proxy;

/// <summary>
/// Requests for peer models (`PEER/MODEL`, or a bare id one peer serves and no local model or alias has): sent to the
/// peer's base URL with the model renamed to the peer's own id, the peer's filters and key, and the peer's timeouts.
/// They never pass the gate or the concurrency limit: a peer swaps nothing here and its capacity is its own.
/// </summary>
internal sealed partial class ProxyHandler
{
    /// <summary>
    /// The forward itself, with the streaming guarantees of a local model's (the same forwarder). <paramref name="current"/>
    /// is the catalog <paramref name="target"/> came from: a reload may have swapped <see cref="Catalog"/> since.
    /// </summary>
    [AsyncMethodBuilder(typeof(DeepPoolingValueTaskMethodBuilder))]
    private async ValueTask ForwardToPeerAsync(HttpExchange exchange, ProxyCatalog current, PeerModel target, ForwardRequest forward)
    {
        var route = current.PeerRouteOf(target.Peer);
        exchange.Trace.Model = target.QualifiedName;
        forward = forward with
        {
            HeaderRules = route.HeaderRules,
            ResponseHeadersTimeout = route.ResponseHeadersTimeout,
            UpstreamName = route.DisplayName,
            OmitsForwardedFields = true,
        };
        var outcome = await forwarder.ForwardAsync(exchange, upstreams.GetPool(target.Peer.Proxy, route.Endpoint), forward);
        if (logger.IsEnabled(LogLevel.Debug))
            ProxyLog.Forwarded(logger, Encoding.ASCII.GetString(exchange.Request.Method), Encoding.ASCII.GetString(exchange.Request.Path),
                target.QualifiedName, outcome.StatusCode, outcome.Error.ToString());
    }

    /// <summary>A JSON body for a peer: its filters applied and <c>model</c> set to the peer's id, sent with an exact length.</summary>
    [AsyncMethodBuilder(typeof(DeepPoolingValueTaskMethodBuilder))]
    private async ValueTask ForwardJsonToPeerAsync(HttpExchange exchange, ProxyCatalog current, PeerModel target, ReadOnlyMemory<byte> body)
    {
        using var rewritten = new PooledBuffer(0);
        var payload = body;
        if (RequestBodyRewriter.Rewrite(new ReadOnlySequence<byte>(body), RequestBodyFilter.For(target), rewritten, out _) == RewriteStatus.Rewritten)
            payload = rewritten.WrittenMemory;
        await ForwardToPeerAsync(exchange, current, target, new ForwardRequest { Body = payload });
    }

    /// <summary>A multipart upload for a peer: the model field set to the peer's id, the rest streamed as for a local model.</summary>
    private async ValueTask ForwardMultipartToPeerAsync(HttpExchange exchange, ProxyCatalog current, PeerModel target, MultipartModelReader scanner,
        BodySpill prefix)
    {
        using var spliced = new PooledBuffer(0);
        await ForwardToPeerAsync(exchange, current, target, MultipartForward(prefix, scanner, target.ModelId, spliced));
    }
}
