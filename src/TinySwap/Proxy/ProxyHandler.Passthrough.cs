using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using TinySwap.Config;
using TinySwap.Contracts;
using TinySwap.Http.Transport;
using TinySwap.Http;
using TinySwap.Http.Parsing;
using TinySwap.Http.Server;
using TinySwap.Proxy.Forwarding;

namespace TinySwap.Proxy;

/// <summary>
/// `/upstream/{model}/…` once its model is known: WebSocket handshakes, and llama-swap's two ways a request there stays
/// out of its model's lifecycle, so a web UI's assets and sockets do not start or swap models under the user's feet.
/// </summary>
internal sealed partial class ProxyHandler
{
    /// <param name="path">The path after the model, from its '/', dot segments removed, still percent-encoded.</param>
    private ValueTask ForwardPassthroughToModelAsync(HttpExchange exchange, ProxyCatalog current, ModelConfig model, ForwardRequest forward,
        string path)
    {
        var webSocket = WebSocketHandshake.IsRequested(exchange.Request);
        if (webSocket)
        {
            var problem = WebSocketHandshake.Check(exchange.Request);
            if (problem != WebSocketRequestProblem.None)
                return ErrorResponse.WriteAsync(exchange, OpenAiError.BadRequest, WebSocketHandshake.Describe(problem));
            forward = forward with { SwitchToWebSocket = true };
        }
        var ignoredPath = current.Config.IgnorePaths.Matches(DecodePath(path));
        // llama-swap's order: the path is judged first (409 unless running); a running model then serves an ignored
        // WebSocket outside its lifecycle.
        if (webSocket && model.IgnoreWebsockets)
        {
            var refusal = ignoredPath ? IgnoredPathRefusal(model) : NotLoaded(model, "ignored websocket requests cannot start it");
            return ForwardUncountedAsync(exchange, current, model, forward, refusal);
        }
        return ForwardToModelAsync(exchange, current, model, forward, unlessRunning: ignoredPath ? IgnoredPathRefusal(model) : null);
    }

    /// <summary>
    /// <c>compat.ignoreWebsockets</c>: served only while the model runs, and not counted: no concurrency slot and no
    /// lease, so no TTL activity and no hold on a swap (which may close the socket), as llama-swap does.
    /// </summary>
    [AsyncMethodBuilder(typeof(DeepPoolingValueTaskMethodBuilder))]
    private async ValueTask ForwardUncountedAsync(HttpExchange exchange, ProxyCatalog current, ModelConfig model, ForwardRequest forward,
        GateRefusal notRunning)
    {
        exchange.Trace.Model = model.Id;
        if (!gate.IsRunning(model))
        {
            ProxyLog.Refused(logger, model.Id, notRunning.StatusCode, notRunning.Message);
            await GateRefusalResponse.WriteAsync(exchange, notRunning);
            return;
        }
        await forwarder.ForwardAsync(exchange, upstreams.GetPool(model.Proxy), forward with { HeaderRules = current.HeaderRulesFor(model) });
    }

    private static GateRefusal IgnoredPathRefusal(ModelConfig model) => NotLoaded(model, "path matches upstream.ignorePaths");

    /// <summary>llama-swap's answer for a request that may not start its model: 409 Conflict.</summary>
    private static GateRefusal NotLoaded(ModelConfig model, string why) =>
        new(409, $"model {model.Id} is not loaded; {why}", "invalid_request_error", "model_not_loaded");

    /// <summary>
    /// The path as llama-swap matches it: percent-decoded (Go's router decodes it), as UTF-8. A malformed escape is
    /// matched as written; such a path reaches the model's server unchanged either way.
    /// </summary>
    private static string DecodePath(string path)
    {
        if (!path.Contains('%'))
            return path;
        var raw = Encoding.ASCII.GetBytes(path);
        var decoded = new byte[raw.Length];
        return PercentEncoding.Decode(raw, decoded, plusIsSpace: false, out var length) == OperationStatus.Done
            ? Encoding.UTF8.GetString(decoded, 0, length)
            : path;
    }
}
