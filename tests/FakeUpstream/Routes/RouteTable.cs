using FakeUpstream.Http;

namespace FakeUpstream.Routes;

/// <summary>Maps method and path to a route; anything unknown is echoed back so proxy tests see what arrived.</summary>
internal sealed class RouteTable(ServerState state)
{
    public ValueTask RouteAsync(Exchange x)
    {
        var request = x.Request;
        var post = request.Method == "POST";
        return request.Path switch
        {
            "/health" => StatusRoutes.HealthAsync(x, state),
            "/v1/models" => StatusRoutes.ModelsAsync(x, state),
            "/env" => StatusRoutes.EnvAsync(x, state),
            "/v1/chat/completions" when post => CompletionRoutes.CompleteAsync(x, state, chat: true),
            "/v1/completions" when post => CompletionRoutes.CompleteAsync(x, state, chat: false),
            "/v1/embeddings" when post => CompletionRoutes.EmbedAsync(x, state),
            "/v1/audio/transcriptions" when post => TranscriptionRoute.TranscribeAsync(x),
            "/upload" when post => TransferRoutes.UploadAsync(x),
            "/bytes" => TransferRoutes.BytesAsync(x),
            "/ws" => WebSocketRoute.EchoAsync(x),
            _ when request.Path.StartsWith("/slots/", StringComparison.Ordinal) && post => SlotRoutes.HandleAsync(x, state),
            _ when request.Path.StartsWith("/status/", StringComparison.Ordinal) => EchoRoute.StatusAsync(x),
            _ => EchoRoute.EchoAsync(x),
        };
    }
}
