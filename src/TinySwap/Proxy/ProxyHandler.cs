using System.Runtime.CompilerServices;
using TinySwap.Http.Transport;
using TinySwap.Http;
using System.Diagnostics;
using System.Text;
using TinySwap.Observability;
using Microsoft.Extensions.Logging;
using TinySwap.Contracts;
using TinySwap.Config;
using TinySwap.Http.Server;
using TinySwap.Http.Upstream;
using TinySwap.Proxy.Forwarding;
using TinySwap.Proxy.LoadingStream;

namespace TinySwap.Proxy;

/// <summary>
/// The front door's one handler: route by method and path, answer the API routes, and for model routes find the
/// model, wait at the gate for it, and forward. Everything it reads from config comes from one catalog, swapped as a
/// whole on reload so a request never sees half of two configs.
/// </summary>
internal sealed partial class ProxyHandler(
    ProxyCatalog catalog, IModelGate gate, IRouteHandler api, UpstreamClient upstreams, HttpForwarder forwarder,
    ConcurrencyLimiter limiter, ILogger logger, Observations? observations = null, SwapWatch? swaps = null,
    IModelStateReader? states = null, ActiveProfile? profiles = null) : IHttpHandler
{
    private ProxyCatalog _catalog = catalog;
    private readonly Observations _observations = observations ?? Observations.None;
    private readonly IModelStateReader _states = states ?? StoppedModels.Instance;
    private readonly ActiveProfile _profiles = profiles ?? new ActiveProfile();

    public ProxyCatalog Catalog
    {
        get => Volatile.Read(ref _catalog);
        set => Volatile.Write(ref _catalog, value);
    }

    private ValueTask RouteAsync(HttpExchange exchange, in RouteMatch route)
    {
        var request = exchange.Request;
        var current = Catalog;
        if (IsAnthropicRoute(request.Path))
            exchange.Response.ErrorShape = ErrorShape.Anthropic;
        if (RefuseForeignBrowserRequest(exchange, current, route) is { } refused)
            return refused;
        // The page itself holds no data (it asks the API, with the key the user typed), so it loads without a key.
        if (route.Kind is not (RouteKind.Health or RouteKind.Preflight or RouteKind.NotFound or RouteKind.WebPage or RouteKind.WebPageRedirect)
            && !IsAuthorized(current, request))
            return ErrorResponse.WriteAsync(exchange, OpenAiError.Unauthorized);

        return route.Kind switch
        {
            RouteKind.NotFound => ErrorResponse.WriteAsync(exchange, OpenAiError.NotFound),
            RouteKind.MethodNotAllowed => WriteMethodNotAllowedAsync(exchange, route),
            RouteKind.Preflight => WritePreflightAsync(exchange, current, route),
            RouteKind.ModelFromJsonBody => ForwardJsonAsync(exchange, current),
            RouteKind.ModelFromMultipartForm => ForwardMultipartAsync(exchange, current),
            RouteKind.ModelFromQuery => ForwardByQueryAsync(exchange, current, route),
            RouteKind.UpstreamPassthrough => ForwardPassthroughAsync(exchange, current, route),
            _ => api.HandleAsync(exchange, current.Config, route),
        };
    }

    /// <summary>Name resolution for one model request: the catalog it already read and the profile active now, read once.</summary>
    private ModelResolver ResolverFor(ProxyCatalog current) => current.Resolver(_profiles.For(current.Config), _states);

    /// <summary>Anthropic's Messages API (<c>/v1/messages</c>, <c>/v1/messages/count_tokens</c>): its clients parse Anthropic's error shape.</summary>
    private static bool IsAnthropicRoute(ReadOnlySpan<byte> path) =>
        path.StartsWith("/v1/messages"u8) && (path.Length == 12 || path[12] == (byte)'/');

    private static bool IsAuthorized(ProxyCatalog current, RequestHead request)
    {
        if (!current.Keys.IsRequired)
            return true;
        request.TryGetHeader("authorization"u8, out var authorization);
        request.TryGetHeader("x-api-key"u8, out var xApiKey);
        return current.Keys.Accepts(authorization, xApiKey);
    }

    /// <summary>
    /// The common tail of every model route: concurrency limit, the gate (which may start or swap models), then the
    /// forward. The lease and the slot are released however the response ends. With <paramref name="unlessRunning"/>
    /// the request never starts, waits for or swaps a model: it is served only if its model runs, else refused so.
    /// </summary>
    [AsyncMethodBuilder(typeof(DeepPoolingValueTaskMethodBuilder))]
    private async ValueTask ForwardToModelAsync(HttpExchange exchange, ProxyCatalog current, ModelConfig model, ForwardRequest forward,
        bool loadingStream = false, GateRefusal? unlessRunning = null)
    {
        forward = forward with { HeaderRules = current.HeaderRulesFor(model) };
        var trace = exchange.Trace;
        trace.Model = model.Id;
        if (!limiter.TryEnter(model, out var slot))
        {
            await ErrorResponse.WriteAsync(exchange, OpenAiError.TooManyRequests, retryAfter: limiter.RetryAfter);
            return;
        }
        try
        {
            GateResult grant;
            var headSent = false;
            try
            {
                trace.GateTimestamp = Stopwatch.GetTimestamp();
                if (loadingStream)
                    (grant, headSent) = await AcquireShowingProgressAsync(exchange, model);
                else if (unlessRunning is not null)
                    grant = gate.TryAcquireRunning(model, out var running) ? GateResult.Granted(running) : GateResult.Refused(unlessRunning);
                else
                    grant = await gate.AcquireAsync(model, null, exchange.Aborted);
                trace.GrantedTimestamp = Stopwatch.GetTimestamp();
            }
            catch (OperationCanceledException)
            {
                exchange.Abort();   // the client left while waiting: nobody to answer
                return;
            }
            if (grant.Refusal is { } refusal)
            {
                ProxyLog.Refused(logger, model.Id, refusal.StatusCode, refusal.Message);
                if (headSent)
                    await LoadingStreamResponse.EndWithErrorAsync(exchange, refusal.Message, refusal.ErrorType);
                else
                    await GateRefusalResponse.WriteAsync(exchange, refusal);
                return;
            }
            try
            {
                if (headSent)
                {
                    await ForwardAfterLoadingStreamAsync(exchange, model, forward);
                    return;
                }
                var outcome = await forwarder.ForwardAsync(exchange, upstreams.GetPool(model.Proxy), forward);
                if (logger.IsEnabled(LogLevel.Debug))
                    ProxyLog.Forwarded(logger, Encoding.ASCII.GetString(exchange.Request.Method), Encoding.ASCII.GetString(exchange.Request.Path),
                        model.Id, outcome.StatusCode, outcome.Error.ToString());
            }
            finally
            {
                grant.Lease.Release();
            }
        }
        finally
        {
            slot.Release();
        }
    }
}
