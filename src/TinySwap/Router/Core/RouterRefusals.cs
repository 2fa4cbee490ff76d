
using TinySwap.Contracts;

namespace TinySwap.Router;

/// <summary>The refusals the router answers with, shaped as OpenAI errors.</summary>
internal static class RouterRefusals
{
    public static GateRefusal UnknownModel(string modelId, IEnumerable<string> known) =>
        new(404, $"model '{modelId}' is not configured; available models: {string.Join(", ", known)}",
            "invalid_request_error", "model_not_found");

    public static GateRefusal Removed(string modelId) =>
        new(404, $"model '{modelId}' was removed by a configuration reload", "invalid_request_error", "model_not_found");

    public static GateRefusal StartFailed(string modelId, string reason) =>
        new(502, $"model '{modelId}' failed to start: {reason}", "server_error", "model_start_failed");

    public static GateRefusal BackingOff(string modelId, int failures, string? reason, TimeSpan retryAfter) =>
        new(503, $"model '{modelId}' failed to start {failures} time(s) in a row; next attempt in {RoundUp(retryAfter).TotalSeconds:0} s; last failure: {reason}",
            "server_error", "model_failed", RoundUp(retryAfter));

    public static GateRefusal QueueTimeout(string modelId, TimeSpan waited, TimeSpan retryAfter) =>
        new(503, $"timed out after {waited.TotalSeconds:0.#} s waiting for model '{modelId}'", "server_error", "queue_timeout", RoundUp(retryAfter));

    public static GateRefusal Unloaded(string modelId) =>
        new(503, $"model '{modelId}' was unloaded while the request waited", "server_error", "model_unloaded", TimeSpan.FromSeconds(1));

    public static GateRefusal ShuttingDown { get; } =
        new(503, "tinyswap is shutting down", "server_error", "shutting_down", TimeSpan.FromSeconds(5));

    // Retry-After carries whole seconds (RFC 9110 §10.2.3): never advertise 0 for "not yet".
    private static TimeSpan RoundUp(TimeSpan value) => TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling(value.TotalSeconds)));
}
