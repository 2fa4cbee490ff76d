using TinySwap.Http;
using TinySwap.Config;
using TinySwap.Http.Server;
using TinySwap.Contracts;
using TinySwap.Http.Buffers;
using TinySwap.Http.Parsing;
using TinySwap.Observability.Activity;
using TinySwap.Observability.Capture;
using TinySwap.Observability.Metrics;

namespace TinySwap.Api;

/// <summary>
/// tinyswap's own endpoints: /health, /v1/models (one model: /v1/models/{id}), /running, load/unload (POST, plus
/// llama-swap's GET /unload, which the front door refuses from foreign pages), /metrics, the activity list,
/// /api/version and in-flight cancellation.
/// </summary>
internal sealed class ApiHandler(IModelStatusSource status, IModelControl control, TimeProvider time,
    MetricsEndpoint? metrics = null, ActivityRing? activity = null, string version = "unknown", CaptureStore? captures = null) : IRouteHandler
{
    private const int DefaultActivityLimit = 100;

    public ValueTask HandleAsync(HttpExchange exchange, TinySwapConfig config, RouteMatch route) => route.Kind switch
    {
        RouteKind.Health => WriteAsync(exchange, ApiReplies.TextContentType, ApiReplies.Health),
        RouteKind.ListModels => WriteModelListAsync(exchange, config),
        RouteKind.RetrieveModel => WriteModelAsync(exchange, config, route),
        RouteKind.Running => WriteRunningAsync(exchange, config),
        RouteKind.LoadModel => LoadAsync(exchange, route),
        RouteKind.UnloadModel => UnloadAsync(exchange, route),
        RouteKind.UnloadAllModels => UnloadAllAsync(exchange),
        RouteKind.Metrics when metrics is not null => WriteMetricsAsync(exchange, metrics),
        RouteKind.Activity when activity is not null => WriteActivityAsync(exchange, activity, route),
        RouteKind.ActivityStats when activity is not null => WriteStatsAsync(exchange, activity),
        RouteKind.Version => WriteVersionAsync(exchange),
        RouteKind.CancelInflight when activity is not null => CancelAsync(exchange, route, activity),
        RouteKind.Capture => WriteCaptureAsync(exchange, route),
        _ => ErrorResponse.WriteAsync(exchange, OpenAiError.NotFound),
    };

    private ValueTask WriteModelListAsync(HttpExchange exchange, TinySwapConfig config)
    {
        using var body = new PooledBuffer();
        ModelListWriter.Write(body, config, status.Snapshot(), time.GetUtcNow().ToUnixTimeSeconds());
        return WriteAsync(exchange, ApiReplies.JsonContentType, body.WrittenSpan);
    }

    private ValueTask WriteModelAsync(HttpExchange exchange, TinySwapConfig config, RouteMatch route)
    {
        if (DecodeId(exchange, route) is not { } id)
            return ErrorResponse.WriteAsync(exchange, OpenAiError.BadRequest, "the model id in the path is not valid percent-encoded UTF-8");
        using var body = new PooledBuffer();
        if (!ModelListWriter.WriteOne(body, config, status.Snapshot(), id, time.GetUtcNow().ToUnixTimeSeconds()))
            return ErrorResponse.WriteAsync(exchange, OpenAiError.ModelNotFound, $"the model '{id}' does not exist");
        return WriteAsync(exchange, ApiReplies.JsonContentType, body.WrittenSpan);
    }

    private ValueTask WriteRunningAsync(HttpExchange exchange, TinySwapConfig config)
    {
        using var body = new PooledBuffer();
        RunningListWriter.Write(body, config, status.Snapshot());
        return WriteAsync(exchange, ApiReplies.JsonContentType, body.WrittenSpan);
    }

    private async ValueTask LoadAsync(HttpExchange exchange, RouteMatch route)
    {
        if (DecodeId(exchange, route) is not { } id)
        {
            await ErrorResponse.WriteAsync(exchange, OpenAiError.BadRequest, "the model id in the path is not valid percent-encoded UTF-8");
            return;
        }
        if (await control.LoadAsync(id) is { } refusal)
            await GateRefusalResponse.WriteAsync(exchange, refusal);
        else
            await WriteAsync(exchange, ApiReplies.JsonContentType, ApiReplies.Loaded);
    }

    private async ValueTask UnloadAsync(HttpExchange exchange, RouteMatch route)
    {
        var id = DecodeId(exchange, route);
        if (id is null || !await control.UnloadAsync(id))
            await ErrorResponse.WriteAsync(exchange, OpenAiError.ModelNotFound, $"no model '{id}' to unload");
        else
            await WriteAsync(exchange, ApiReplies.TextContentType, ApiReplies.Unloaded);
    }

    private async ValueTask UnloadAllAsync(HttpExchange exchange)
    {
        await control.UnloadAllAsync();
        // GET /unload is llama-swap's script route and answers "OK" as text; POST /api/models/unload answers JSON.
        if (exchange.Request.MethodIs("POST"u8))
            await WriteAsync(exchange, ApiReplies.JsonContentType, ApiReplies.UnloadedAll);
        else
            await WriteAsync(exchange, ApiReplies.TextContentType, ApiReplies.Unloaded);
    }

    private static ValueTask WriteMetricsAsync(HttpExchange exchange, MetricsEndpoint metrics)
    {
        using var body = new PooledBuffer(64 * 1024);
        metrics.Write(new ExpositionWriter(body));
        return WriteAsync(exchange, ApiReplies.PrometheusContentType, body.WrittenSpan);
    }

    private ValueTask WriteActivityAsync(HttpExchange exchange, ActivityRing activity, RouteMatch route)
    {
        var limit = QueryLimit(route.Query(exchange.Request.Target)) ?? DefaultActivityLimit;
        using var body = new PooledBuffer();
        ActivityWriter.WriteActivity(body, activity, Math.Clamp(limit, 1, activity.Capacity), captures);
        return WriteAsync(exchange, ApiReplies.JsonContentType, body.WrittenSpan);
    }

    /// <summary>The <c>limit</c> query parameter (llama-swap's), when it is a plain number.</summary>
    private static int? QueryLimit(ReadOnlySpan<byte> query)
    {
        foreach (var range in query.Split((byte)'&'))
        {
            var pair = query[range];
            if (pair.StartsWith("limit="u8) && System.Buffers.Text.Utf8Parser.TryParse(pair[6..], out int limit, out var used) && used == pair.Length - 6)
                return limit;
        }
        return null;
    }

    private static ValueTask WriteStatsAsync(HttpExchange exchange, ActivityRing activity)
    {
        using var body = new PooledBuffer();
        ActivityWriter.WriteStats(body, activity);
        return WriteAsync(exchange, ApiReplies.JsonContentType, body.WrittenSpan);
    }

    private ValueTask WriteVersionAsync(HttpExchange exchange)
    {
        using var body = new PooledBuffer();
        using (var json = new System.Text.Json.Utf8JsonWriter(body, ApiJson.WriterOptions))
        {
            // llama-swap's fields; the commit is the part of the version after '+', as the build stamps it.
            var plus = version.IndexOf('+', StringComparison.Ordinal);
            json.WriteStartObject();
            json.WriteString("version"u8, plus < 0 ? version : version[..plus]);
            json.WriteString("commit"u8, plus < 0 ? "" : version[(plus + 1)..]);
            json.WriteString("build_date"u8, "");
            json.WriteEndObject();
        }
        return WriteAsync(exchange, ApiReplies.JsonContentType, body.WrittenSpan);
    }

    private static ValueTask CancelAsync(HttpExchange exchange, RouteMatch route, ActivityRing activity)
    {
        if (ParseId(exchange, route) is not { } id || !activity.Cancel(id))
            return ErrorResponse.WriteAsync(exchange, OpenAiError.NotFound, "no request in flight with that id");
        return WriteAsync(exchange, ApiReplies.JsonContentType, ApiReplies.UnloadedAll);
    }

    private ValueTask WriteCaptureAsync(HttpExchange exchange, RouteMatch route)
    {
        var id = ParseId(exchange, route);
        if (id is null)
            return ErrorResponse.WriteAsync(exchange, OpenAiError.BadRequest, "a capture id is a whole number");
        if (captures?.Find(id.Value) is not { } capture)
        {
            return ErrorResponse.WriteAsync(exchange, OpenAiError.NotFound, captures is { BudgetBytes: > 0 }
                ? "no capture with that id (evicted, or the request was not forwarded)"
                : "captures are off: set captureBuffer (MB) in the config");
        }
        using var body = new PooledBuffer();
        CaptureWriter.Write(body, capture);
        return WriteAsync(exchange, ApiReplies.JsonContentType, body.WrittenSpan);
    }

    /// <summary>The route's id parameter as a number; null unless it is exactly digits.</summary>
    private static long? ParseId(HttpExchange exchange, RouteMatch route)
    {
        var raw = route.Parameter(exchange.Request.Target);
        return System.Buffers.Text.Utf8Parser.TryParse(raw, out long id, out var used) && used == raw.Length ? id : null;
    }

    internal static string? DecodeId(HttpExchange exchange, RouteMatch route)
    {
        var raw = route.Parameter(exchange.Request.Target);
        var decoded = new byte[raw.Length];
        if (PercentEncoding.Decode(raw, decoded, plusIsSpace: false, out var length) != System.Buffers.OperationStatus.Done)
            return null;
        try
        {
            return new System.Text.UTF8Encoding(false, throwOnInvalidBytes: true).GetString(decoded, 0, length);
        }
        catch (System.Text.DecoderFallbackException)
        {
            return null;
        }
    }

    private static ValueTask WriteAsync(HttpExchange exchange, ReadOnlySpan<byte> contentType, ReadOnlySpan<byte> body)
    {
        var response = exchange.Response;
        response.AddHeader("Content-Type"u8, contentType);
        response.ContentLength = body.Length;
        response.Write(body);
        return response.CompleteAsync();
    }
}
