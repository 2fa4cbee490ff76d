using System.Text.Json;

namespace TinySwap.Tests.Support;

/// <summary>Splits an SSE body into the payloads of its "data:" events (text/event-stream, one event per blank-line block).</summary>
internal static class SseEvents
{
    public static List<string> Parse(string body) =>
        body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(block => block.StartsWith("data: ", StringComparison.Ordinal) ? block["data: ".Length..] : block)
            .ToList();

    public static JsonElement Json(string payload)
    {
        using var document = JsonDocument.Parse(payload);
        return document.RootElement.Clone();
    }
}
