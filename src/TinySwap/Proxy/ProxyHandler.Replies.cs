using System.Text;
using TinySwap.Http;
using TinySwap.Http.Server;
using TinySwap.Contracts;

namespace TinySwap.Proxy;

internal sealed partial class ProxyHandler
{
    private static ValueTask WriteMethodNotAllowedAsync(HttpExchange exchange, RouteMatch route)
    {
        exchange.Response.AddHeader("Allow"u8, route.Allow);
        return ErrorResponse.WriteAsync(exchange, OpenAiError.MethodNotAllowed);
    }

    /// <summary>/upstream/m → /upstream/m/ so relative links in the upstream's own pages resolve (301 keeps GET, 308 keeps the method).</summary>
    private static ValueTask WriteTrailingSlashRedirectAsync(HttpExchange exchange, RouteMatch route)
    {
        var request = exchange.Request;
        var response = exchange.Response;
        response.StatusCode = request.MethodIs("GET"u8) || request.IsHead ? 301 : 308;
        var path = Encoding.ASCII.GetString(request.Path);
        var query = route.HasQuery ? "?" + Encoding.ASCII.GetString(request.Query) : "";
        response.AddHeader("Location", path + "/" + query);
        response.ContentLength = 0;
        return response.CompleteAsync();
    }
}
