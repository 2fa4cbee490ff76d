namespace TinySwap.Api;

/// <summary>Fixed bodies of the API endpoints, byte-compatible with llama-swap's where it has the endpoint.</summary>
internal static class ApiReplies
{
    public static ReadOnlySpan<byte> JsonContentType => "application/json"u8;
    public static ReadOnlySpan<byte> TextContentType => "text/plain; charset=utf-8"u8;

    /// <summary>The Prometheus text exposition format, version 0.0.4.</summary>
    public static ReadOnlySpan<byte> PrometheusContentType => "text/plain; version=0.0.4; charset=utf-8"u8;

    /// <summary>GET /health (text): tinyswap is up. llama-swap answers "OK" as text too, and health checks grep for it.</summary>
    public static ReadOnlySpan<byte> Health => "OK"u8;

    /// <summary>POST /api/models/unload (JSON), as llama-swap's.</summary>
    public static ReadOnlySpan<byte> UnloadedAll => """{"msg":"ok"}"""u8;

    /// <summary>POST /api/models/unload/{id} (text), as llama-swap's.</summary>
    public static ReadOnlySpan<byte> Unloaded => "OK"u8;

    /// <summary>POST /api/models/load/{id} (JSON; llama-swap has no such endpoint), once the model is ready.</summary>
    public static ReadOnlySpan<byte> Loaded => """{"msg":"ok"}"""u8;
}
