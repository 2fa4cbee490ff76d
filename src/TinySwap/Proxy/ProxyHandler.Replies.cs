using System.Text;
using TinySwap.Http;
using TinySwap.Http.Server;

namespace TinySwap.Proxy;

internal sealed partial class ProxyHandler
{
    internal static ValueTask WriteErrorAsync(HttpExchange exchange, OpenAiErrorKind kind, string? message = null, TimeSpan? retryAfter = null)
        => ErrorResponse.WriteAsync(exchange, kind, message, retryAfter);

    internal static ValueTask WriteRefusalAsync(HttpExchange exchange, GateRefusal refusal)
    {
        if (exchange.Response.HasStarted)
        {
            exchange.Abort();
            return ValueTask.CompletedTask;
        }
        ErrorResponse.AddRetryAfter(exchange.Response, refusal.RetryAfter);
        return ErrorResponse.WriteAsync(exchange.Response, refusal.StatusCode, refusal.Message, refusal.ErrorType, refusal.ErrorCode);
    }

    private static ValueTask WriteMethodNotAllowedAsync(HttpExchange exchange, RouteMatch route)
    {
        exchange.Response.AddHeader("Allow"u8, route.Allow);
        return WriteErrorAsync(exchange, OpenAiError.MethodNotAllowed);
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
