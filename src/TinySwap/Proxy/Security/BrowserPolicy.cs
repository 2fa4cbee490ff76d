using System.Text;

namespace TinySwap.Proxy.Security;

/// <summary>What <see cref="BrowserPolicy.Check"/> decided for one request.</summary>
internal enum BrowserVerdict : byte
{
    /// <summary>Not from a browser, or from a page allowed to make it: serve.</summary>
    Allowed,

    /// <summary>The <c>Origin</c> is neither the page's own (same-origin) nor in <c>cors.allowOrigins</c>.</summary>
    ForeignOrigin,

    /// <summary>No <c>Origin</c>, but the browser marked the request <c>Sec-Fetch-Site: cross-site</c> or <c>same-site</c>.</summary>
    ForeignSite,
}

/// <summary>
/// The browser-facing rules of the front door, decided from header values alone: which requests a foreign web page
/// may not make (cross-site request forgery: a <c>text/plain</c> form POST needs no preflight), and which origins get
/// CORS headers. Clients that are not browsers send neither <c>Origin</c> nor <c>Sec-Fetch-*</c> and are unaffected.
/// </summary>
/// <remarks>
/// A different port on the same host is "same-site" to a browser (http://localhost:3000 and http://localhost:8080),
/// but it is another program — any local dev server or web app — so same-site counts as foreign here: only the
/// page's own origin, or an origin listed in <c>cors.allowOrigins</c>, may drive tinyswap from a browser.
/// </remarks>
internal sealed class BrowserPolicy
{
    private readonly byte[][] _corsOrigins;

    public BrowserPolicy(HostAllowList hosts, IEnumerable<string> corsAllowOrigins)
    {
        Hosts = hosts;
        // Browsers serialise an origin as lower-case scheme://host[:port] with no path (RFC 6454 §6.2).
        _corsOrigins = [.. corsAllowOrigins.Select(o => Encoding.ASCII.GetBytes(o.Trim().TrimEnd('/').ToLowerInvariant())).Where(o => o.Length > 0)];
    }

    public HostAllowList Hosts { get; }

    /// <summary>Whether any origin gets CORS headers (<c>cors.allowOrigins</c> is set).</summary>
    public bool CorsEnabled => _corsOrigins.Length > 0;

    /// <summary>Whether <paramref name="origin"/> is listed in <c>cors.allowOrigins</c> (exactly; no wildcard).</summary>
    public bool IsCorsOrigin(ReadOnlySpan<byte> origin)
    {
        foreach (var allowed in _corsOrigins)
        {
            if (Ascii.EqualsIgnoreCase(origin, allowed))
                return true;
        }
        return false;
    }

    /// <summary>
    /// Decides a request that changes state or reaches a model. <paramref name="origin"/> and
    /// <paramref name="fetchSite"/> are the header values (empty when absent); <paramref name="host"/> is the request's
    /// <c>Host</c>, already accepted by <see cref="HostAllowList"/>.
    /// </summary>
    public BrowserVerdict Check(bool hasOrigin, ReadOnlySpan<byte> origin, ReadOnlySpan<byte> fetchSite, ReadOnlySpan<byte> host)
    {
        if (hasOrigin)
            return IsSameOrigin(origin, host) || IsCorsOrigin(origin) ? BrowserVerdict.Allowed : BrowserVerdict.ForeignOrigin;
        // Browsers send Origin with every POST, PUT, DELETE and CORS request; without one, only a GET or HEAD made by a
        // page (an <img>, a link, a no-cors fetch) still says where it came from, in Sec-Fetch-Site (Fetch Metadata).
        // "none" (typed into the address bar, a bookmark) and "same-origin" are the user's own doing.
        return Ascii.EqualsIgnoreCase(fetchSite, "cross-site"u8) || Ascii.EqualsIgnoreCase(fetchSite, "same-site"u8)
            ? BrowserVerdict.ForeignSite
            : BrowserVerdict.Allowed;
    }

    /// <summary>
    /// <c>scheme://authority</c> whose authority is the request's own <c>Host</c>: the page was served from this very
    /// host and port (the future /ui/, or a web UI behind /upstream). The scheme is not compared, so a TLS-terminating
    /// reverse proxy that keeps <c>Host</c> works. "null" (sandboxed frames, file:, cross-origin redirects) never matches.
    /// </summary>
    internal static bool IsSameOrigin(ReadOnlySpan<byte> origin, ReadOnlySpan<byte> host)
    {
        var separator = origin.IndexOf("://"u8);
        if (separator <= 0 || host.IsEmpty)
            return false;
        var authority = origin[(separator + 3)..];
        return authority.IndexOf((byte)'/') < 0 && Ascii.EqualsIgnoreCase(authority, host);
    }
}
