using FakeUpstream.Http;

namespace FakeUpstream.Routes;

/// <summary>
/// The SSE answer to "stream": true — n_events deltas gap_ms apart, each stamped just before it is sent
/// (seq, t_mono_us, t_real_us) so a client can measure what a proxy adds, then "data: [DONE]".
/// One chunk per event: nothing waits in a buffer.
/// </summary>
internal static class CompletionStream
{
    public static async ValueTask SendAsync(Exchange x, ServerState state, CompletionRequest request, string id, bool chat)
    {
        await x.Response.StartChunkedAsync(200, "text/event-stream", x.Cancel);
        var frame = new byte[1024];
        for (var seq = 0; seq < request.Events; seq++)
        {
            if (request.AbortAfter == seq)
            {
                // No terminating chunk: the client must see a truncated body, as when llama-server crashes.
                x.Response.CloseAfter = true;
                return;
            }
            if (seq > 0 && request.GapMs > 0)
                await Task.Delay(request.GapMs, x.Cancel);
            var length = WriteEvent(x, state, request, id, chat, seq, ref frame);
            await x.Response.WriteChunkAsync(frame.AsSpan(0, length), x.Cancel);
        }
        if (request.IncludeUsage)
            await x.Response.WriteChunkAsync(UsageEvent(x, request.Events), x.Cancel);
        await x.Response.WriteChunkAsync("data: [DONE]\n\n"u8, x.Cancel);
        await x.Response.EndChunkedAsync(x.Cancel);
    }

    /// <summary>
    /// OpenAI's usage chunk (empty choices) with llama-server's timings beside it: 7 prompt tokens, one generated token
    /// per event, 50.5 tokens/s, so a test can assert exact counts.
    /// </summary>
    private static byte[] UsageEvent(Exchange x, int events)
    {
        var json = x.BeginJson();
        json.WriteStartObject();
        json.WriteStartArray("choices");
        json.WriteEndArray();
        json.WriteStartObject("usage");
        json.WriteNumber("prompt_tokens", 7);
        json.WriteNumber("completion_tokens", events);
        json.WriteNumber("total_tokens", 7 + events);
        json.WriteEndObject();
        json.WriteStartObject("timings");
        json.WriteNumber("prompt_n", 7);
        json.WriteNumber("predicted_n", events);
        json.WriteNumber("predicted_per_second", 50.5);
        json.WriteEndObject();
        json.WriteEndObject();
        return [.. "data: "u8, .. x.FinishJson(), .. "\n\n"u8];
    }

    private static int WriteEvent(Exchange x, ServerState state, CompletionRequest request, string id, bool chat, int seq, ref byte[] frame)
    {
        var last = seq == request.Events - 1;
        var json = x.BeginJson();
        json.WriteStartObject();
        CompletionRoutes.WriteCommon(json, state, request, id, chat ? "chat.completion.chunk" : "text_completion");
        json.WriteNumber("seq", seq);
        json.WriteNumber("t_mono_us", Clock.MonotonicMicroseconds());
        json.WriteNumber("t_real_us", Clock.RealtimeMicroseconds());
        json.WriteStartArray("choices");
        json.WriteStartObject();
        json.WriteNumber("index", 0);
        if (chat)
        {
            json.WriteStartObject("delta");
            json.WriteString("content", "tok" + seq + " ");
            json.WriteEndObject();
        }
        else
        {
            json.WriteString("text", "tok" + seq + " ");
        }
        if (last)
            json.WriteString("finish_reason", "stop");
        else
            json.WriteNull("finish_reason");
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
        var payload = x.FinishJson();

        var length = "data: "u8.Length + payload.Length + 2;
        if (frame.Length < length)
            frame = new byte[length * 2];
        "data: "u8.CopyTo(frame);
        payload.CopyTo(frame.AsSpan(6));
        "\n\n"u8.CopyTo(frame.AsSpan(6 + payload.Length));
        return length;
    }
}
