using System.Text;
using TinySwap.Config;
using TinySwap.Contracts;
using TinySwap.Http;
using TinySwap.Http.Server;

namespace TinySwap.Api.Logs;

/// <summary>GET /logs, /logs/stream and /logs/stream/{model}: the kept lines as text, then (streams) new ones as they come.</summary>
internal sealed class LogRoutes(LogBook book)
{
    /// <summary>
    /// The whole buffer as text; a browser (Accept: text/html) is sent to the page instead, as llama-swap does, so
    /// a bookmarked /logs still lands somewhere readable.
    /// </summary>
    public ValueTask WriteHistoryAsync(HttpExchange exchange)
    {
        var response = exchange.Response;
        if (exchange.Request.TryGetHeader("accept"u8, out var accept) && accept.IndexOf("text/html"u8) >= 0)
        {
            response.StatusCode = 302;
            response.AddHeader("Location"u8, "/ui/"u8);
            return response.CompleteAsync();
        }
        var body = Encoding.UTF8.GetBytes(book.History(null));
        response.AddHeader("Content-Type"u8, ApiReplies.TextContentType);
        response.ContentLength = body.Length;
        response.Write(body);
        return response.CompleteAsync();
    }

    /// <summary>
    /// Chunked text that follows the log (llama-swap's shape): the kept lines first unless the query has
    /// <c>no-history</c>, then every new line. <paramref name="modelId"/> null: every source, model lines tagged.
    /// </summary>
    public async ValueTask StreamAsync(HttpExchange exchange, TinySwapConfig config, RouteMatch route, bool oneModel)
    {
        string? modelId = null;
        if (oneModel)
        {
            var requested = ApiHandler.DecodeId(exchange, route);
            if (requested is null || config.FindModel(requested) is not { } model)
            {
                await ErrorResponse.WriteAsync(exchange, OpenAiError.ModelNotFound, $"no model '{requested}' to show the log of");
                return;
            }
            modelId = model.Id;
        }
        var response = exchange.Response;
        response.AddHeader("Content-Type"u8, ApiReplies.TextContentType);
        response.AddHeader("X-Content-Type-Options"u8, "nosniff"u8);
        // Reverse proxies (nginx) buffer responses by default, which would hold a follower's lines back.
        response.AddHeader("X-Accel-Buffering"u8, "no"u8);
        response.AddHeader("Cache-Control"u8, "no-cache"u8);
        using var reader = book.Follow(modelId);
        if (!HasFlag(route.Query(exchange.Request.Target), "no-history"u8))
            response.Write(Encoding.UTF8.GetBytes(book.History(modelId)));
        await StreamPump.RunAsync(exchange, reader);
    }

    internal static bool HasFlag(ReadOnlySpan<byte> query, ReadOnlySpan<byte> name)
    {
        foreach (var range in query.Split((byte)'&'))
        {
            var pair = query[range];
            var equals = pair.IndexOf((byte)'=');
            if ((equals < 0 ? pair : pair[..equals]).SequenceEqual(name))
                return true;
        }
        return false;
    }
}
