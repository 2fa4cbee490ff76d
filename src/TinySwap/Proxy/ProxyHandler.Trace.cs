using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.Logging;
using TinySwap.Http.Server;
using TinySwap.Http.Transport;
using TinySwap.Observability;

namespace TinySwap.Proxy;

/// <summary>
/// Every request is traced from head to end: its route label, model, timings and token counts go to the
/// observation sinks (metrics, activity) and one access-log line. A request that completes synchronously (most API
/// answers) costs no async state machine.
/// </summary>
internal sealed partial class ProxyHandler
{
    /// <summary>Where the per-request line goes; none when null (tests and tools that build the handler alone).</summary>
    public AccessLog? AccessLog { get; init; }

    public ValueTask HandleAsync(HttpExchange exchange)
    {
        var request = exchange.Request;
        var route = ProxyRoutes.Match(request.Method, request.Target);
        var trace = exchange.Trace;
        trace.Begin(Stopwatch.GetTimestamp(), DateTimeOffset.UtcNow);
        trace.Route = ProxyRoutes.Label(request.Path, route.Kind);
        _observations.RequestStarted(trace);

        ValueTask handling;
        try
        {
            handling = RouteAsync(exchange, route);
        }
        catch
        {
            Finish(exchange);
            throw;
        }
        if (!handling.IsCompleted)
            return FinishAfterAsync(exchange, handling);
        try
        {
            handling.GetAwaiter().GetResult();
        }
        finally
        {
            Finish(exchange);
        }
        return default;
    }

    [AsyncMethodBuilder(typeof(DeepPoolingValueTaskMethodBuilder))]
    private async ValueTask FinishAfterAsync(HttpExchange exchange, ValueTask handling)
    {
        try
        {
            await handling;
        }
        finally
        {
            Finish(exchange);
        }
    }

    private void Finish(HttpExchange exchange)
    {
        var end = Stopwatch.GetTimestamp();
        var response = exchange.Response;
        // A response cut off (client gone, upstream failed mid-body) is no status the client saw.
        var status = exchange.Aborted.IsCancellationRequested && !response.IsCompleted ? 0 : response.StatusCode;
        var trace = exchange.Trace;
        _observations.RequestFinished(trace, status, response.BodyBytes, end);
        LogAccess(exchange, status, end);
    }

    /// <summary>
    /// One line per request: method, path (never the query or a header, so never a key), model, status, body bytes,
    /// milliseconds. Client aborts, 4xx and the routes machines poll (/health, /metrics) go to debug.
    /// </summary>
    private void LogAccess(HttpExchange exchange, int status, long end)
    {
        if (AccessLog is not { } accessLog)
            return;
        var trace = exchange.Trace;
        var quiet = status is 0 or (>= 400 and < 500) || trace.Route is "/health" or "/metrics";
        var request = exchange.Request;
        accessLog.Write(quiet ? LogLevel.Debug : LogLevel.Information, request.Method, request.Path, trace.Model ?? "-", status,
            exchange.Response.BodyBytes, RequestTrace.Seconds(trace.StartTimestamp, end) * 1000);
    }
}
