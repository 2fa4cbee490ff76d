using System.Text;
using TinySwap.Http.Server;

namespace TinySwap.Proxy;

internal sealed partial class ProxyHandler
{
    /// <summary>Answers with an OpenAI-shaped error, unless the response has already started (then only an abort is honest).</summary>
    internal static async ValueTask WriteErrorAsync(HttpExchange exchange, OpenAiErrorKind kind, string? message = null, TimeSpan? retryAfter = null)
    {
        var response = exchange.Response;
        if (response.HasStarted)
        {
            exchange.Abort();
            return;
        }
        response.StatusCode = kind.Status;
        response.AddHeader("Content-Type"u8, "application/json"u8);
        if (retryAfter is { } delay)
            response.AddHeader("Retry-After", OpenAiError.RetryAfterSeconds(delay).ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (message is null)
        {
            response.ContentLength = kind.DefaultBody.Length;
            response.Write(kind.DefaultBody.Span);
        }
        else
        {
            using var body = new PooledBuffer(256);
            OpenAiError.Write(body, kind, message);
            response.ContentLength = body.WrittenCount;
            response.Write(body.WrittenSpan);
        }
        await response.CompleteAsync();
    }

    internal static ValueTask WriteRefusalAsync(HttpExchange exchange, GateRefusal refusal)
    {
        var kind = OpenAiError.ForStatus(refusal.StatusCode);
        return WriteErrorAsync(exchange, kind, refusal.Message, refusal.RetryAfter);
    }

    private static ValueTask WriteMethodNotAllowedAsync(HttpExchange exchange, RouteMatch route)
    {
        exchange.Response.AddHeader("Allow"u8, route.Allow);
        return WriteErrorAsync(exchange, OpenAiError.MethodNotAllowed);
    }

    /// <summary>CORS preflight: browser front ends (Open WebUI and friends) call us from other origins.</summary>
    private static ValueTask WritePreflightAsync(HttpExchange exchange, RouteMatch route)
    {
        var response = exchange.Response;
        response.StatusCode = 204;
        response.AddHeader("Access-Control-Allow-Origin"u8, "*"u8);
        response.AddHeader("Access-Control-Allow-Methods"u8, route.Allow);
        response.AddHeader("Access-Control-Allow-Headers"u8, "*"u8);
        response.AddHeader("Access-Control-Max-Age"u8, "86400"u8);
        return response.CompleteAsync();
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
