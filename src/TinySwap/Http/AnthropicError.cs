using System.Buffers;
using System.Text;
using System.Text.Json;

namespace TinySwap.Http;

/// <summary>Which error body a client parses: OpenAI's (the default) or Anthropic's on its Messages routes.</summary>
internal enum ErrorShape : byte
{
    OpenAi,
    Anthropic,
}

/// <summary>
/// Errors in the shape Anthropic clients parse on <c>/v1/messages…</c>:
/// <c>{"type":"error","error":{"type":"not_found_error","message":"…"}}</c>. The SDKs branch on the HTTP status and
/// show <c>error.type</c> and <c>error.message</c>; the type follows the status as Anthropic's API assigns it.
/// </summary>
internal static class AnthropicError
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Anthropic's error type for a status (docs.anthropic.com, "Errors").</summary>
    public static string TypeFor(int status) => status switch
    {
        401 => "authentication_error",
        403 => "permission_error",
        404 => "not_found_error",
        413 => "request_too_large",
        429 => "rate_limit_error",
        503 or 529 => "overloaded_error",
        >= 400 and < 500 => "invalid_request_error",
        _ => "api_error",
    };

    /// <summary>Writes the body for an error answered with <paramref name="status"/>.</summary>
    public static void Write(IBufferWriter<byte> output, string message, int status)
    {
        using var writer = new Utf8JsonWriter(output, WriterOptions);
        writer.WriteStartObject();
        writer.WriteString("type"u8, "error"u8);
        writer.WriteStartObject("error"u8);
        writer.WriteString("type"u8, TypeFor(status));
        // Encoding.UTF8 turns a lone surrogate (legal in a JSON model name) into U+FFFD; Utf8JsonWriter would throw on it.
        writer.WriteString("message"u8, Encoding.UTF8.GetBytes(message));
        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}
