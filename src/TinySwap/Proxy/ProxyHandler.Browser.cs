using TinySwap.Contracts;
using TinySwap.Http.Parsing;
using TinySwap.Http.Server;
using TinySwap.Proxy.Security;

namespace TinySwap.Proxy;

/// <summary>The front door's browser rules (README: Safe by default): Host allow-list, cross-site refusal, CORS.</summary>
internal sealed partial class ProxyHandler
{
    private static readonly byte[] DefaultCorsHeaders = "Authorization, Content-Type, X-Api-Key, Anthropic-Version, Anthropic-Beta"u8.ToArray();

    /// <summary>
    /// Null when the request may go on (CORS headers for an allowed origin already added to the response); otherwise
    /// the refusal, already being written.
    /// </summary>
    private static ValueTask? RefuseForeignBrowserRequest(HttpExchange exchange, ProxyCatalog current, in RouteMatch route)
    {
        var request = exchange.Request;
        var policy = current.Browser;
        var hasHost = request.TryGetHeader("host"u8, out var host);
        if (hasHost && host.IsEmpty)
            return WriteBrowserErrorAsync(exchange, 400, "the Host header is empty", "invalid_request_error", "invalid_host");
        // /health stays reachable under any name: orchestrators probe it by container name or service address.
        // HTTP/1.0 without Host is not a browser.
        if (route.Kind != RouteKind.Health && hasHost && !policy.Hosts.Allows(host))
        {
            return WriteBrowserErrorAsync(exchange, 421,
                "this server does not answer to that Host name; add it to allowedHosts in the config if it is yours",
                "invalid_request_error", "host_not_allowed");
        }

        var hasOrigin = request.TryGetHeader("origin"u8, out var origin);
        if (hasOrigin && policy.CorsEnabled && policy.IsCorsOrigin(origin))
        {
            // Exactly the one origin (never *), so a shared cache keeps answers per origin apart.
            exchange.Response.AddHeader("Access-Control-Allow-Origin"u8, origin);
            exchange.Response.AddHeader("Vary"u8, "Origin"u8);
        }
        if (!ActsOnModels(route.Kind, request))
            return null;
        request.TryGetHeader("sec-fetch-site"u8, out var fetchSite);
        return policy.Check(hasOrigin, origin, fetchSite, host) switch
        {
            BrowserVerdict.ForeignOrigin => WriteBrowserErrorAsync(exchange, 403,
                "cross-origin requests are refused: this page's origin is not in cors.allowOrigins", "permission_error", "cross_origin_refused"),
            BrowserVerdict.ForeignSite => WriteBrowserErrorAsync(exchange, 403,
                "requests a browser marks cross-site are refused (Sec-Fetch-Site)", "permission_error", "cross_site_refused"),
            _ => null,
        };
    }

    /// <summary>
    /// Requests a foreign page must not make: anything but GET/HEAD (state changes), every model route (starts,
    /// swaps, serves models), and every state-changing route whatever its method (llama-swap's <c>GET /unload</c>).
    /// A preflight is not one: it runs nothing.
    /// </summary>
    private static bool ActsOnModels(RouteKind kind, RequestHead request) =>
        kind != RouteKind.Preflight && (kind is RouteKind.ModelFromJsonBody or RouteKind.ModelFromMultipartForm or RouteKind.ModelFromQuery
            or RouteKind.UpstreamPassthrough or RouteKind.UnloadAllModels or RouteKind.UnloadModel or RouteKind.LoadModel or RouteKind.CancelInflight
        || !(request.MethodIs("GET"u8) || request.IsHead));

    private static ValueTask WriteBrowserErrorAsync(HttpExchange exchange, int status, string message, string type, string code)
        => ErrorResponse.WriteAsync(exchange.Response, status, message, type, code);

    /// <summary>
    /// OPTIONS on a known path. A CORS preflight (it carries Access-Control-Request-Method) from an origin in
    /// cors.allowOrigins gets the methods and headers it may use; any other OPTIONS gets only <c>Allow</c>
    /// (RFC 9110 §9.3.7), which a browser reads as "preflight failed".
    /// </summary>
    private static ValueTask WritePreflightAsync(HttpExchange exchange, ProxyCatalog current, RouteMatch route)
    {
        var request = exchange.Request;
        var response = exchange.Response;
        response.StatusCode = 204;
        response.AddHeader("Allow"u8, route.Allow);
        if (request.TryGetHeader("origin"u8, out var origin) && current.Browser.IsCorsOrigin(origin)
            && request.TryGetHeader("access-control-request-method"u8, out _))
        {
            // The origin is trusted by configuration, so the headers it asks for are allowed (SDKs in the browser send
            // their own x-stainless-* and anthropic-* headers); anything that is not a token list gets the default set.
            var asked = request.TryGetHeader("access-control-request-headers"u8, out var requested) && IsTokenList(requested);
            response.AddHeader("Access-Control-Allow-Methods"u8, route.Allow);
            response.AddHeader("Access-Control-Allow-Headers"u8, asked ? requested : DefaultCorsHeaders);
            response.AddHeader("Access-Control-Max-Age"u8, "600"u8);
        }
        return response.CompleteAsync();
    }

    private static bool IsTokenList(ReadOnlySpan<byte> value)
    {
        foreach (var range in value.Split((byte)','))
        {
            if (!HttpCharacters.IsToken(HttpCharacters.TrimOws(value[range])))
                return false;
        }
        return true;
    }
}
