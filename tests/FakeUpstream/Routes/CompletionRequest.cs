using System.Text.Json;

namespace FakeUpstream.Routes;

/// <summary>
/// The top-level request fields the fake acts on. Ours beyond OpenAI's: n_events and gap_ms (shape of an
/// SSE stream), delay_ms (wait before the response head), abort_after (drop the connection after that
/// many events, to test how a proxy handles an upstream dying mid-stream). OpenAI's stream_options.include_usage adds a
/// last event with usage (and llama-server's timings).
/// </summary>
internal readonly record struct CompletionRequest(
    string? Model, bool Stream, int Events, int GapMs, int DelayMs, int? AbortAfter, int Inputs, bool IncludeUsage = false)
{
    /// <summary>Parses the body, or returns the JSON error text.</summary>
    public static (CompletionRequest Request, string? Error) Parse(ReadOnlySpan<byte> body)
    {
        string? model = null;
        bool stream = false, includeUsage = false;
        int events = 5, gap = 0, delay = 0, inputs = 0;
        int? abortAfter = null;
        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                return (default, "the body must be a JSON object");
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                reader.Read();
                switch (name)
                {
                    case "model" when reader.TokenType == JsonTokenType.String: model = reader.GetString(); break;
                    case "stream" when reader.TokenType is JsonTokenType.True or JsonTokenType.False: stream = reader.GetBoolean(); break;
                    case "n_events" when reader.TokenType == JsonTokenType.Number: events = reader.GetInt32(); break;
                    case "gap_ms" when reader.TokenType == JsonTokenType.Number: gap = reader.GetInt32(); break;
                    case "delay_ms" when reader.TokenType == JsonTokenType.Number: delay = reader.GetInt32(); break;
                    case "abort_after" when reader.TokenType == JsonTokenType.Number: abortAfter = reader.GetInt32(); break;
                    case "input" when reader.TokenType == JsonTokenType.String: inputs = 1; break;
                    case "stream_options" when reader.TokenType == JsonTokenType.StartObject:
                        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                        {
                            var option = reader.GetString();
                            reader.Read();
                            if (option == "include_usage" && reader.TokenType == JsonTokenType.True)
                                includeUsage = true;
                            else
                                reader.Skip();
                        }
                        break;
                    case "input" when reader.TokenType == JsonTokenType.StartArray:
                        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                        {
                            inputs++;
                            reader.Skip();
                        }
                        break;
                    default: reader.Skip(); break;
                }
            }
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            return (default, "invalid JSON: " + e.Message);
        }
        return (new CompletionRequest(model, stream, Math.Max(events, 0), Math.Max(gap, 0), Math.Max(delay, 0), abortAfter, inputs, includeUsage), null);
    }
}
