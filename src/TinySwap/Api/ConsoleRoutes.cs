using TinySwap.Api.Events;
using TinySwap.Api.Logs;
using TinySwap.Api.Ui;
using TinySwap.Config;
using TinySwap.Contracts;
using TinySwap.Http.Server;

namespace TinySwap.Api;

/// <summary>The control plane's routes (the page, events, logs); every other route goes on to <paramref name="next"/>.</summary>
internal sealed class ConsoleRoutes(IRouteHandler next, LogRoutes logs, EventRoute events) : IRouteHandler
{
    public ValueTask HandleAsync(HttpExchange exchange, TinySwapConfig config, RouteMatch route) => route.Kind switch
    {
        RouteKind.WebPage => WebPage.WriteAsync(exchange),
        RouteKind.WebPageRedirect => WebPage.RedirectAsync(exchange),
        RouteKind.Events => events.StreamAsync(exchange, config),
        RouteKind.Logs => logs.WriteHistoryAsync(exchange),
        RouteKind.LogStream => logs.StreamAsync(exchange, config, route, oneModel: false),
        RouteKind.ModelLogStream => logs.StreamAsync(exchange, config, route, oneModel: true),
        _ => next.HandleAsync(exchange, config, route),
    };
}
