using System.Buffers;
using System.Text.Json;
using TinySwap.Observability.Capture;

namespace TinySwap.Api;

/// <summary>
/// <c>GET /api/captures/{id}</c> in llama-swap's shape (<c>id</c>, <c>req_path</c>, <c>req_headers</c>,
/// <c>req_body</c> and <c>resp_body</c> as base64, <c>resp_headers</c>), with what a reader needs beside it: method,
/// model, the upstream's status, each body's real length and whether the capture cut it.
/// </summary>
internal static class CaptureWriter
{
    public static void Write(IBufferWriter<byte> output, RequestCapture capture)
    {
        using var json = new Utf8JsonWriter(output, ApiJson.WriterOptions);
        json.WriteStartObject();
        json.WriteNumber("id"u8, capture.Id);
        json.WriteString("method"u8, capture.Method);
        json.WriteString("req_path"u8, capture.Path);
        json.WriteString("model"u8, capture.Model ?? "");
        WriteHeaders(json, "req_headers"u8, capture.RequestHeaders);
        json.WriteBase64String("req_body"u8, capture.RequestBody);
        json.WriteNumber("req_body_bytes"u8, capture.RequestBodyBytes);
        json.WriteBoolean("req_body_truncated"u8, capture.RequestBodyTruncated);
        json.WriteNumber("resp_status_code"u8, capture.ResponseStatus);
        WriteHeaders(json, "resp_headers"u8, capture.ResponseHeaders);
        json.WriteBase64String("resp_body"u8, capture.ResponseBody);
        json.WriteNumber("resp_body_bytes"u8, capture.ResponseBodyBytes);
        json.WriteBoolean("resp_body_truncated"u8, capture.ResponseBodyTruncated);
        json.WriteEndObject();
    }

    private static void WriteHeaders(Utf8JsonWriter json, ReadOnlySpan<byte> name, KeyValuePair<string, string>[] headers)
    {
        json.WriteStartObject(name);
        foreach (var (field, value) in headers)
            json.WriteString(field, value);
        json.WriteEndObject();
    }
}
