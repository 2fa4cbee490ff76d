using TinySwap.Config;
using TinySwap.Http.Server;

namespace TinySwap.Contracts;

/// <summary>
/// Answers the routes the proxy does not forward (tinyswap's own API). The proxy matches the route and hands it over;
/// the composition root decides who answers, so the proxy never depends on the API.
/// </summary>
internal interface IRouteHandler
{
    ValueTask HandleAsync(HttpExchange exchange, TinySwapConfig config, RouteMatch route);
}
