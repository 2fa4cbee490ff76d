using TinySwap.Api.Logs;
using TinySwap.Config;
using TinySwap.Contracts;
using TinySwap.Http.Server;

namespace TinySwap.Api.Events;

/// <summary>GET /api/events: Server-Sent Events, starting with the kept logs and every model's state, then live.</summary>
internal sealed class EventRoute(EventHub hub, LogBook logs, IModelStatusSource status)
{
    public async ValueTask StreamAsync(HttpExchange exchange, TinySwapConfig config)
    {
        var response = exchange.Response;
        response.AddHeader("Content-Type"u8, "text/event-stream"u8);
        response.AddHeader("Cache-Control"u8, "no-cache"u8);
        response.AddHeader("X-Content-Type-Options"u8, "nosniff"u8);
        response.AddHeader("X-Accel-Buffering"u8, "no"u8);
        // Listen first, then send the starting picture: a change in between arrives twice rather than not at all.
        using var reader = hub.Listen();
        response.Write(EventJson.LogData(null, logs.OwnHistory()));
        response.Write(EventJson.ModelStatus(config, status.Snapshot()));
        await StreamPump.RunAsync(exchange, reader);
    }
}
