using FakeUpstream.Http;

namespace FakeUpstream.Routes;

/// <summary>/v1/audio/transcriptions: whisper.cpp's multipart upload; answers the file's size and the model field.</summary>
internal static class TranscriptionRoute
{
    public static async ValueTask TranscribeAsync(Exchange x)
    {
        var boundary = MultipartReader.BoundaryOf(x.Request.Header("Content-Type"));
        if (boundary is null)
        {
            await x.SendErrorAsync(400, "expected multipart/form-data with a boundary");
            return;
        }
        var (parts, error) = await MultipartReader.ReadAsync(x.Body, boundary, x.Cancel);
        if (error is not null)
        {
            await x.SendErrorAsync(400, error);
            return;
        }
        var file = parts.Find(p => p.FileName is not null);
        var model = parts.Find(p => p.Name == "model" && p.FileName is null);

        var json = x.BeginJson();
        json.WriteStartObject();
        json.WriteString("text", "fake transcription");
        json.WriteString("model", model?.Text);
        json.WriteNumber("file_size", file?.Size ?? 0);
        json.WriteString("file_name", file?.FileName);
        json.WriteNumber("body_length", x.Body.BytesRead);
        json.WriteStartArray("fields");
        foreach (var part in parts)
            json.WriteStringValue(part.Name);
        json.WriteEndArray();
        json.WriteEndObject();
        await x.SendJsonAsync(200);
    }
}
