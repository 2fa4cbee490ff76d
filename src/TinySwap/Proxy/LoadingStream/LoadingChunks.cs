using System.Buffers;
using System.Text.Json;

namespace TinySwap.Proxy.LoadingStream;

/// <summary>
/// The loading stream's SSE events, shaped as OpenAI <c>chat.completion.chunk</c>s so the SDKs' stream parsers take
/// them. Progress goes in <c>delta.reasoning_content</c>, which chat UIs show as thinking and never mix into the
/// answer's <c>delta.content</c> (llama-swap's choice too).
/// </summary>
internal static class LoadingChunks
{
    public static byte[] Progress(string model, long created, string text) => Event(json =>
    {
        json.WriteStartObject();
        json.WriteString("id"u8, "loading");
        json.WriteString("object"u8, "chat.completion.chunk"u8);
        json.WriteNumber("created"u8, created);
        json.WriteString("model"u8, model);
        json.WriteStartArray("choices"u8);
        json.WriteStartObject();
        json.WriteNumber("index"u8, 0);
        json.WriteStartObject("delta"u8);
        json.WriteString("role"u8, "assistant"u8);
        json.WriteString("reasoning_content"u8, text);
        json.WriteEndObject();
        json.WriteNull("finish_reason"u8);
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
    });

    /// <summary>An OpenAI error object as an SSE event (the SDKs raise it as an API error), then the end marker.</summary>
    public static byte[] ErrorThenDone(string message, string type) => [.. Event(json =>
    {
        json.WriteStartObject();
        json.WriteStartObject("error"u8);
        json.WriteString("message"u8, message);
        json.WriteString("type"u8, type);
        json.WriteEndObject();
        json.WriteEndObject();
    }), .. "data: [DONE]\n\n"u8];

    /// <summary>The words for one reading of the progress.</summary>
    public static string Describe(in LoadingSnapshot now)
    {
        if (now.QueuePosition is { } position)
            return $"Waiting for the model: position {position} in the queue\n";
        if (now.LoadingModel is null)
            return "Waiting for the model\n";
        var elapsed = now.LoadingFor.TotalSeconds;
        if (now.EstimatedRemaining is not { } remaining)
            return $"Loading {now.LoadingModel}: {elapsed:0.0} s\n";
        // The estimate was taken at the first notice; progress is the share of it that has passed since.
        var total = Math.Max(remaining.TotalSeconds, 0.001);
        var percent = Math.Min(99, (int)(100 * elapsed / total));
        return $"Loading {now.LoadingModel}: {elapsed:0.0} s of about {total:0.0} s ({percent}%)\n";
    }

    private static byte[] Event(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        buffer.Write("data: "u8);
        using (var json = new Utf8JsonWriter(buffer))
            write(json);
        buffer.Write("\n\n"u8);
        return buffer.WrittenSpan.ToArray();
    }
}
