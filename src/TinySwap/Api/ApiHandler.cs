using TinySwap.Http;
using TinySwap.Config;
using TinySwap.Http.Server;
using TinySwap.Contracts;
using TinySwap.Http.Buffers;
using TinySwap.Http.Parsing;

namespace TinySwap.Api;

/// <summary>tinyswap's own endpoints: /health, /v1/models, /running, and load/unload (POST only: no state-changing GET).</summary>
internal sealed class ApiHandler(IModelStatusSource status, IModelControl control, TimeProvider time) : IRouteHandler
{
    public ValueTask HandleAsync(HttpExchange exchange, TinySwapConfig config, RouteMatch route) => route.Kind switch
    {
        RouteKind.Health => WriteAsync(exchange, ApiReplies.TextContentType, ApiReplies.Health),
        RouteKind.ListModels => WriteModelListAsync(exchange, config),
        RouteKind.Running => WriteRunningAsync(exchange, config),
        RouteKind.LoadModel => LoadAsync(exchange, route),
        RouteKind.UnloadModel => UnloadAsync(exchange, route),
        RouteKind.UnloadAllModels => UnloadAllAsync(exchange),
        _ => ErrorResponse.WriteAsync(exchange, OpenAiError.NotFound),
    };

    private ValueTask WriteModelListAsync(HttpExchange exchange, TinySwapConfig config)
    {
        using var body = new PooledBuffer();
        ModelListWriter.Write(body, config, status.Snapshot(), time.GetUtcNow().ToUnixTimeSeconds());
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
        await WriteAsync(exchange, ApiReplies.JsonContentType, ApiReplies.UnloadedAll);
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
