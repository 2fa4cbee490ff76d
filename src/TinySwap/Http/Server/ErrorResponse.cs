using System.Text.Json;

namespace TinySwap.Http.Server;

/// <summary>Writes an error the way OpenAI-compatible clients expect: {"error":{"message","type","code"}}.</summary>
internal static class ErrorResponse
{
    /// <summary>Sends a complete error response; the caller checks that the response has not started.</summary>
    public static ValueTask WriteAsync(ResponseWriter response, int statusCode, string message, string type, string? code = null)
    {
        response.StatusCode = statusCode;
        response.AddHeader("Content-Type"u8, "application/json"u8);
        // Errors are rare: a writer per error is cheaper than keeping one per connection.
        var body = new System.Buffers.ArrayBufferWriter<byte>(128);
        using (var json = new Utf8JsonWriter(body))
        {
            json.WriteStartObject();
            json.WriteStartObject("error");
            json.WriteString("message", message);
            json.WriteString("type", type);
            if (code is null)
                json.WriteNumber("code", statusCode);
            else
                json.WriteString("code", code);
            json.WriteEndObject();
            json.WriteEndObject();
        }
        response.ContentLength = body.WrittenCount;
        response.Write(body.WrittenSpan);
        return response.CompleteAsync();
    }

    public static string TypeFor(int statusCode) => statusCode switch
    {
        401 => "authentication_error",
        404 => "not_found_error",
        408 or 504 => "timeout_error",
        413 => "request_too_large",
        429 => "rate_limit_error",
        >= 500 => "server_error",
        _ => "invalid_request_error",
    };
}
