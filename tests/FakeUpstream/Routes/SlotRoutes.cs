using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using FakeUpstream.Http;

namespace FakeUpstream.Routes;

/// <summary>
/// POST /slots/{id}?action=save|restore|erase, shaped like llama-server's: save writes a file in
/// --slot-dir (named by the body's "filename", else slot-{id}.bin), restore reads it back.
/// </summary>
internal static class SlotRoutes
{
    public static async ValueTask HandleAsync(Exchange x, ServerState state)
    {
        var body = await x.ReadBodyAsync(1024 * 1024);
        if (!int.TryParse(x.Request.Path["/slots/".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var slot))
        {
            await x.SendErrorAsync(400, "slot id must be a whole number");
            return;
        }
        if (state.Options.SlotDir is not { } dir)
        {
            // llama-server's answer when started without --slot-save-path.
            await x.SendErrorAsync(501, "This server does not support slots action", "not_supported_error");
            return;
        }
        var fileName = FileNameFrom(body.Span) ?? $"slot-{slot}.bin";
        if (fileName.Contains('/') || fileName.Contains("..", StringComparison.Ordinal) || fileName.Length == 0)
        {
            await x.SendErrorAsync(400, "Invalid filename");
            return;
        }
        try
        {
            await RunActionAsync(x, state, slot, fileName, Path.Combine(dir, fileName));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await x.SendErrorAsync(500, $"slot file {fileName}: {e.Message}", "server_error");
        }
    }

    private static async ValueTask RunActionAsync(Exchange x, ServerState state, int slot, string fileName, string path)
    {
        var started = Stopwatch.GetTimestamp();
        switch (x.Request.QueryValue("action"))
        {
            case "save":
                var content = Encoding.UTF8.GetBytes($"fake slot {slot} of model {state.Options.Model} saved at {Clock.RealtimeMicroseconds()}\n");
                await File.WriteAllBytesAsync(path, content, x.Cancel);
                await SendResultAsync(x, slot, fileName, "n_saved", "n_written", content.Length, "save_ms", started);
                break;
            case "restore":
                if (!File.Exists(path))
                {
                    await x.SendErrorAsync(400, $"Failed to restore slot: {fileName} not found");
                    return;
                }
                var restored = await File.ReadAllBytesAsync(path, x.Cancel);
                await SendResultAsync(x, slot, fileName, "n_restored", "n_read", restored.Length, "restore_ms", started);
                break;
            case "erase":
                var json = x.BeginJson();
                json.WriteStartObject();
                json.WriteNumber("id_slot", slot);
                json.WriteNumber("n_erased", 0);
                json.WriteEndObject();
                await x.SendJsonAsync(200);
                break;
            default:
                await x.SendErrorAsync(400, "Invalid action");
                break;
        }
    }

    private static ValueTask SendResultAsync(Exchange x, int slot, string fileName, string tokensField, string bytesField,
        int bytes, string timingField, long started)
    {
        var json = x.BeginJson();
        json.WriteStartObject();
        json.WriteNumber("id_slot", slot);
        json.WriteString("filename", fileName);
        json.WriteNumber(tokensField, 1);
        json.WriteNumber(bytesField, bytes);
        json.WriteStartObject("timings");
        json.WriteNumber(timingField, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        json.WriteEndObject();
        json.WriteEndObject();
        return x.SendJsonAsync(200);
    }

    private static string? FileNameFrom(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty)
            return null;
        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                return null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isFileName = reader.ValueTextEquals("filename"u8);
                reader.Read();
                if (isFileName && reader.TokenType == JsonTokenType.String)
                    return reader.GetString();
                reader.Skip();
            }
        }
        catch (JsonException)
        {
        }
        return null;
    }
}
