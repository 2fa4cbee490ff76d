using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.Logging;
using TinySwap.Config;
using TinySwap.Contracts;
using TinySwap.Http.Buffers;
using TinySwap.Http.Parsing;
using TinySwap.Http.Server;
using TinySwap.Proxy.Forwarding;

namespace TinySwap.Proxy;

/// <summary>
/// Requests for peer models (`PEER/MODEL`, or a bare id one peer serves and no local model or alias has): sent to the
/// peer's base URL with the model renamed to the peer's own id, the peer's filters and key, and the peer's timeouts.
/// They never pass the gate or the concurrency limit: a peer swaps nothing here and its capacity is its own.
/// </summary>
internal sealed partial class ProxyHandler
{
    /// <summary>The forward itself, with the streaming guarantees of a local model's (the same forwarder).</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask ForwardToPeerAsync(HttpExchange exchange, PeerModel target, ForwardRequest forward)
    {
        var route = Catalog.PeerRouteOf(target.Peer);
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
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask ForwardJsonToPeerAsync(HttpExchange exchange, PeerModel target, ReadOnlyMemory<byte> body)
    {
        using var rewritten = new PooledBuffer(0);
        var payload = body;
        if (RequestBodyRewriter.Rewrite(new ReadOnlySequence<byte>(body), RequestBodyFilter.For(target), rewritten, out _) == RewriteStatus.Rewritten)
            payload = rewritten.WrittenMemory;
        await ForwardToPeerAsync(exchange, target, new ForwardRequest { Body = payload });
    }

    /// <summary>
    /// `/upstream/PEER/MODEL/rest` (or `/upstream/MODEL/rest` for a bare peer id): the rest goes to the peer's base URL,
    /// body untouched, as llama-swap's upstream route does. Null when the path names no peer model either.
    /// </summary>
    private ValueTask? PassthroughToPeer(HttpExchange exchange, ProxyCatalog current, RouteMatch route)
    {
        var target = exchange.Request.Target;
        var path = route.Parameter(target);
        var (status, peer, restStart) = UpstreamPath.ResolvePeer(path, current.Peers);
        switch (status)
        {
            case UpstreamPathStatus.Found:
                var pathAndQuery = DotSegments.Remove(path[restStart..]);
                if (route.HasQuery)
                    pathAndQuery += "?" + Encoding.ASCII.GetString(route.Query(target));
                return ForwardToPeerAsync(exchange, peer!, new ForwardRequest { PathAndQuery = pathAndQuery });
            case UpstreamPathStatus.NeedsTrailingSlash:
                return WriteTrailingSlashRedirectAsync(exchange, route);
            default:
                return null;
        }
    }

    /// <summary>
    /// The request's path with its query, the first <c>model</c> parameter set to the peer's id (llama-swap sets it on
    /// GET requests it sends a peer); other parameters are kept byte for byte.
    /// </summary>
    private static string PeerQueryTarget(RequestHead request, RouteMatch route, PeerModel peer)
    {
        var text = new StringBuilder(Encoding.ASCII.GetString(request.Path)).Append('?');
        var query = route.Query(request.Target);
        var replaced = false;
        Span<byte> name = stackalloc byte[5];
        while (!query.IsEmpty)
        {
            var amp = query.IndexOf((byte)'&');
            var pair = amp < 0 ? query : query[..amp];
            query = amp < 0 ? default : query[(amp + 1)..];
            var eq = pair.IndexOf((byte)'=');
            var rawName = eq < 0 ? pair : pair[..eq];
            var isModel = !replaced && rawName.Length is >= 5 and <= 15
                && PercentEncoding.Decode(rawName, name, plusIsSpace: true, out var length) == OperationStatus.Done
                && name[..length].SequenceEqual("model"u8);
            if (text[^1] != '?')
                text.Append('&');
            if (isModel)
            {
                text.Append("model=").Append(Uri.EscapeDataString(peer.ModelId));
                replaced = true;
            }
            else
            {
                text.Append(Encoding.ASCII.GetString(pair));
            }
        }
        return text.ToString();
    }
}
