using System.Text.Json;
using FakeUpstream.Http;

namespace FakeUpstream.Routes;

/// <summary>/v1/chat/completions, /v1/completions and /v1/embeddings: OpenAI-shaped echoes of what was asked.</summary>
internal static class CompletionRoutes
{
    public static async ValueTask CompleteAsync(Exchange x, ServerState state, bool chat)
    {
        var body = await x.ReadBodyAsync();
        var (request, error) = CompletionRequest.Parse(body.Span);
        if (error is not null)
        {
            await x.SendErrorAsync(400, error);
            return;
        }
        if (request.DelayMs > 0)
            await Task.Delay(request.DelayMs, x.Cancel);
        var id = "fake-" + state.NextId();
        if (request.Stream)
        {
            await CompletionStream.SendAsync(x, state, request, id, chat);
            return;
        }

        var json = x.BeginJson();
        json.WriteStartObject();
        WriteCommon(json, state, request, id, chat ? "chat.completion" : "text_completion");
        json.WriteNumber("body_length", body.Length);
        json.WriteStartArray("choices");
        json.WriteStartObject();
        json.WriteNumber("index", 0);
        if (chat)
        {
            json.WriteStartObject("message");
            json.WriteString("role", "assistant");
            json.WriteString("content", "fake reply");
            json.WriteEndObject();
        }
        else
        {
            json.WriteString("text", "fake reply");
        }
        json.WriteString("finish_reason", "stop");
        json.WriteEndObject();
        json.WriteEndArray();
        WriteUsage(json, body.Length, 2);
        json.WriteEndObject();
        await x.SendJsonAsync(200);
    }

    public static async ValueTask EmbedAsync(Exchange x, ServerState state)
    {
        var body = await x.ReadBodyAsync();
        var (request, error) = CompletionRequest.Parse(body.Span);
        if (error is not null)
        {
            await x.SendErrorAsync(400, error);
            return;
        }
        var json = x.BeginJson();
        json.WriteStartObject();
        json.WriteString("object", "list");
        json.WriteString("model", request.Model);
        json.WriteString("served_by", state.Options.Model);
        json.WriteNumber("body_length", body.Length);
        json.WriteStartArray("data");
        for (var i = 0; i < Math.Max(request.Inputs, 1); i++)
        {
            json.WriteStartObject();
            json.WriteString("object", "embedding");
            json.WriteNumber("index", i);
            json.WriteStartArray("embedding");
            foreach (var value in (ReadOnlySpan<double>)[0.125, -0.25, 0.5, i])
                json.WriteNumberValue(value);
            json.WriteEndArray();
            json.WriteEndObject();
        }
        json.WriteEndArray();
        WriteUsage(json, body.Length, 0);
        json.WriteEndObject();
        await x.SendJsonAsync(200);
    }

    /// <summary>Fields every completion answer and stream event carries: id, object, created, model asked, model served.</summary>
    internal static void WriteCommon(Utf8JsonWriter json, ServerState state, CompletionRequest request, string id, string kind)
    {
        json.WriteString("id", id);
        json.WriteString("object", kind);
        json.WriteNumber("created", DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        json.WriteString("model", request.Model);
        json.WriteString("served_by", state.Options.Model);
    }

    private static void WriteUsage(Utf8JsonWriter json, int promptBytes, int completionTokens)
    {
        json.WriteStartObject("usage");
        json.WriteNumber("prompt_tokens", promptBytes / 4);
        json.WriteNumber("completion_tokens", completionTokens);
        json.WriteNumber("total_tokens", promptBytes / 4 + completionTokens);
        json.WriteEndObject();
    }
}
