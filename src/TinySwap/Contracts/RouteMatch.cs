namespace TinySwap.Contracts;

/// <summary>Where a route's parameter sits in the request-target.</summary>
internal readonly record struct ParameterRange(int Start, int Length);

/// <summary>The outcome of the route table (<c>ProxyRoutes.Match</c>); every position is an offset into the request-target it was given.</summary>
internal readonly struct RouteMatch
{
    private readonly byte[]? allow;
    private readonly ParameterRange parameter;
    private readonly int queryStart;

    internal RouteMatch(RouteKind kind, byte[]? allow, ParameterRange parameter, int queryStart)
    {
        Kind = kind;
        this.allow = allow;
        this.parameter = parameter;
        this.queryStart = queryStart;
    }

    public RouteKind Kind { get; }

    /// <summary>Value for the <c>Allow</c> header of a 405 (RFC 9110 §15.5.6) and for a preflight's allowed methods; empty for unknown paths.</summary>
    public ReadOnlySpan<byte> Allow => allow;

    /// <summary>The route's raw (still percent-encoded) path parameter: the id of load/unload, or everything after <c>/upstream/</c>.</summary>
    public ReadOnlySpan<byte> Parameter(ReadOnlySpan<byte> target) => target.Slice(parameter.Start, parameter.Length);

    /// <summary>The query without its <c>?</c>; empty when there is none.</summary>
    public ReadOnlySpan<byte> Query(ReadOnlySpan<byte> target) => queryStart < 0 ? default : target[queryStart..];

    /// <summary>True when the target had a <c>?</c> (even with nothing after it), so a redirect can keep it.</summary>
    public bool HasQuery => queryStart >= 0;
}
