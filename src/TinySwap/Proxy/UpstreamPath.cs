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

    /// <summary>No prefix of the path names a model: 404 listing the known ones.</summary>
    UnknownModel,

    /// <summary>
    /// The path is exactly a model name (<c>/upstream/m</c>): redirect to <c>/upstream/m/</c> (query kept) so relative
    /// links in the upstream's pages resolve, 301 for GET/HEAD and 308 otherwise, as llama-swap does.
    /// </summary>
    NeedsTrailingSlash,
}

/// <summary>Result of <see cref="UpstreamPath.Resolve"/>.</summary>
internal readonly record struct UpstreamTarget(UpstreamPathStatus Status, ModelConfig? Model, int RestStart);

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
    public static UpstreamTarget Resolve(ReadOnlySpan<byte> path, ModelNameIndex index)
    {
        if (path.IsEmpty)
            return new UpstreamTarget(UpstreamPathStatus.NoModel, null, 0);
        var (best, bestEnd) = LongestKnownPrefix(path, index, static (names, name) => names.FindUtf8(name));
        return new UpstreamTarget(StatusOf(best is not null, bestEnd, path.Length), best, bestEnd);
    }

    /// <summary>
    /// <see cref="Resolve"/> among peer models (`PEER/MODEL`, or a bare id one peer serves), for a path that names no
    /// local model: local ids and aliases win, as everywhere.
    /// </summary>
    public static (UpstreamPathStatus Status, PeerModel? Peer, int RestStart) ResolvePeer(ReadOnlySpan<byte> path, PeerIndex peers)
    {
        if (path.IsEmpty || peers.IsEmpty)
            return (path.IsEmpty ? UpstreamPathStatus.NoModel : UpstreamPathStatus.UnknownModel, null, 0);
        var (best, bestEnd) = LongestKnownPrefix(path, peers, static (index, name) => index.FindUtf8(name));
        return (StatusOf(best is not null, bestEnd, path.Length), best, bestEnd);
    }

    private static UpstreamPathStatus StatusOf(bool found, int end, int pathLength) =>
        !found ? UpstreamPathStatus.UnknownModel
        : end == pathLength ? UpstreamPathStatus.NeedsTrailingSlash
        : UpstreamPathStatus.Found;

    private static (T? Best, int End) LongestKnownPrefix<TIndex, T>(ReadOnlySpan<byte> path, TIndex index, Func<TIndex, ReadOnlySpan<byte>, T?> find)
        where T : class
    {
        Span<byte> decoded = stackalloc byte[MaxCandidateBytes];
        T? best = null;
        var bestEnd = 0;
        var end = 0;
        while (end < path.Length)
        {
            var slash = path[end..].IndexOf((byte)'/');
            end = slash < 0 ? path.Length : end + slash;
            var candidate = path[..end];
            if (!candidate.IsEmpty
                && PercentEncoding.Decode(candidate, decoded, plusIsSpace: false, out var length) == OperationStatus.Done
                && find(index, decoded[..length]) is { } found)
            {
                best = found;
                bestEnd = end;
            }
            end++;
        }
        return (best, bestEnd);
    }

    /// <summary>The raw first segment of the path: what to echo in an unknown-model message.</summary>
    public static ReadOnlySpan<byte> RequestedName(ReadOnlySpan<byte> path)
    {
        var slash = path.IndexOf((byte)'/');
        return slash < 0 ? path : path[..slash];
    }
}
