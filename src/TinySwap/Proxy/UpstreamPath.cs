using System.Buffers;
using TinySwap.Config;
using TinySwap.Http.Parsing;

namespace TinySwap.Proxy;

internal enum UpstreamPathStatus : byte
{
    /// <summary>A model matched; forward <see cref="UpstreamTarget.RestStart"/>.. of the path, plus the query.</summary>
    Found,

    /// <summary>Nothing after <c>/upstream/</c>: 400 "model id required in path".</summary>
    NoModel,

    /// <summary>No prefix of the path names a model: 404 listing the known ones (or, for a pin, <see cref="UpstreamTarget.Message"/>).</summary>
    UnknownModel,

    /// <summary>
    /// The path is exactly a model name (<c>/upstream/m</c>): redirect to <c>/upstream/m/</c> (query kept) so relative
    /// links in the upstream's pages resolve, 301 for GET/HEAD and 308 otherwise, as llama-swap does.
    /// </summary>
    NeedsTrailingSlash,
}

/// <summary>
/// Result of <see cref="UpstreamPath.Resolve(ReadOnlySpan{byte}, ModelResolver)"/>: a local <see cref="Route"/>, or the
/// <see cref="Peer"/> model that serves the path when no pin, local id or alias is a prefix of it (or a pin targets it);
/// <see cref="Message"/> explains a 404 a profile pin caused.
/// </summary>
internal readonly record struct UpstreamTarget(UpstreamPathStatus Status, ModelRoute? Route, int RestStart, string? Message = null, PeerModel? Peer = null)
{
    public ModelConfig? Model => Route?.Model;
}

/// <summary>Resolves <c>/upstream/{model}/{path…}</c>, where model ids may themselves contain '/'.</summary>
internal static class UpstreamPath
{
    private const int MaxCandidateBytes = 1024;

    /// <summary>
    /// <paramref name="path"/> is the raw path after <c>/upstream/</c> (<see cref="RouteMatch.Parameter"/>). Every prefix
    /// that ends at a '/' (or at the end) is a candidate name, percent-decoded so <c>org%2Fmodel</c> also means
    /// <c>org/model</c>; the LONGEST known id or alias wins (llama-swap takes the shortest, so an id that is a
    /// path-prefix of another shadows it there). The rest, from its '/', is forwarded raw, never decoded.
    /// </summary>
    /// <example><c>var t = UpstreamPath.Resolve(match.Parameter(target), index);</c> → forward <c>path[t.RestStart..]</c> + "?" + query to <c>t.Model</c>.</example>
    public static UpstreamTarget Resolve(ReadOnlySpan<byte> path, ModelNameIndex index) => Resolve(path, new ModelResolver(index, null));

    /// <summary>
    /// As above, with the active profile's pins first, as llama-swap's <c>upstreamProfilePin</c>: the longest pin that is
    /// a whole-segment prefix of the path wins over any model name, and its target's model serves the rest of the path.
    /// </summary>
    public static UpstreamTarget Resolve(ReadOnlySpan<byte> path, ModelResolver resolver)
    {
        if (path.IsEmpty)
            return new UpstreamTarget(UpstreamPathStatus.NoModel, null, 0);

        Span<byte> decoded = stackalloc byte[MaxCandidateBytes];
        ModelRoute? best = null;
        var bestEnd = 0;
        PinTarget pin = default;
        var pinEnd = 0;
        PeerModel? peer = null;
        var peerEnd = 0;
        var end = 0;
        while (end < path.Length)
        {
            var slash = path[end..].IndexOf((byte)'/');
            end = slash < 0 ? path.Length : end + slash;
            var candidate = path[..end];
            if (!candidate.IsEmpty && PercentEncoding.Decode(candidate, decoded, plusIsSpace: false, out var length) == OperationStatus.Done)
            {
                var name = decoded[..length];
                if (resolver.TryFindPinUtf8(name, out var matched))
                    (pin, pinEnd) = (matched, end);
                else if (resolver.Names.FindRouteUtf8(name) is { } route)
                    (best, bestEnd) = (route, end);
                else if (resolver.Peers?.FindUtf8(name) is { } found)
                    (peer, peerEnd) = (found, end);
            }
            end++;
        }

        if (pinEnd > 0)
        {
            if (pin.Route is not null)
                return Target(pin.Route, null, pinEnd, path.Length);
            var requested = PercentEncoding.Decode(path[..pinEnd], decoded, plusIsSpace: false, out var length) == OperationStatus.Done
                ? System.Text.Encoding.UTF8.GetString(decoded[..length]) : "";
            var pinned = resolver.Pinned(requested, pin);
            return pinned.Peer is { } pinnedPeer
                ? Target(null, pinnedPeer, pinEnd, path.Length)
                : new UpstreamTarget(UpstreamPathStatus.UnknownModel, null, 0, pinned.Message);
        }
        // Local ids and aliases win over peer models, as everywhere.
        if (best is not null)
            return Target(best, null, bestEnd, path.Length);
        return peer is not null ? Target(null, peer, peerEnd, path.Length) : new UpstreamTarget(UpstreamPathStatus.UnknownModel, null, 0);
    }

    private static UpstreamTarget Target(ModelRoute? route, PeerModel? peer, int end, int pathLength) =>
        new(end == pathLength ? UpstreamPathStatus.NeedsTrailingSlash : UpstreamPathStatus.Found, route, end, Peer: peer);

    /// <summary>The raw first segment of the path: what to echo in an unknown-model message.</summary>
    public static ReadOnlySpan<byte> RequestedName(ReadOnlySpan<byte> path)
    {
        var slash = path.IndexOf((byte)'/');
        return slash < 0 ? path : path[..slash];
    }
}
