using System.Buffers;
using System.Text.Json;
using System.Text.Unicode;

namespace TinySwap.Http;

/// <summary>One row of the error table: HTTP status, OpenAI <c>type</c> and <c>code</c>, default message and its cached body.</summary>
internal sealed class OpenAiErrorKind
{
    internal OpenAiErrorKind(int status, string type, string? code, string defaultMessage)
    {
        Status = status;
        Type = type;
        Code = code;
        DefaultMessage = defaultMessage;
        var output = new ArrayBufferWriter<byte>();
        OpenAiError.Write(output, defaultMessage, type, code);
        DefaultBody = output.WrittenSpan.ToArray();
    }

    public int Status { get; }
    public string Type { get; }
    public string? Code { get; }
    public string DefaultMessage { get; }

    /// <summary>The JSON body with <see cref="DefaultMessage"/>, built once; send it as is.</summary>
    public ReadOnlyMemory<byte> DefaultBody { get; }
}

/// <summary>
/// Errors in the shape OpenAI clients parse: <c>{"error":{"message":"…","type":"…","code":…}}</c> (code is a string or
/// null). Types and codes follow OpenAI's own where it has one; SDKs branch on the status, so those matter most.
/// </summary>
internal static class OpenAiError
{
    private const int StackMessageLimit = 512;

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static readonly OpenAiErrorKind BadRequest = new(400, "invalid_request_error", null, "invalid request");
    public static readonly OpenAiErrorKind Unauthorized = new(401, "invalid_request_error", "invalid_api_key", "invalid or missing API key");
    public static readonly OpenAiErrorKind NotFound = new(404, "invalid_request_error", "not_found", "no such endpoint");
    public static readonly OpenAiErrorKind ModelNotFound = new(404, "invalid_request_error", "model_not_found", "model not found");
    public static readonly OpenAiErrorKind MethodNotAllowed = new(405, "invalid_request_error", "method_not_allowed", "method not allowed on this endpoint");
    public static readonly OpenAiErrorKind RequestTimeout = new(408, "invalid_request_error", "request_timeout", "the request was not received in time");
    public static readonly OpenAiErrorKind PayloadTooLarge = new(413, "invalid_request_error", "request_too_large", "the request body is too large");
    public static readonly OpenAiErrorKind TooManyRequests = new(429, "rate_limit_error", "rate_limit_exceeded", "too many concurrent requests for this model; retry later");
    public static readonly OpenAiErrorKind InternalError = new(500, "server_error", "internal_error", "internal error");
    public static readonly OpenAiErrorKind BadGateway = new(502, "server_error", "bad_gateway", "the model's server did not answer properly");
    public static readonly OpenAiErrorKind ServiceUnavailable = new(503, "server_error", "service_unavailable", "the model is not available right now; retry later");
    public static readonly OpenAiErrorKind GatewayTimeout = new(504, "server_error", "gateway_timeout", "the model's server did not answer in time");

    // The general row per status (404 → the endpoint one; model lookups use ModelNotFound explicitly).
    private static readonly OpenAiErrorKind[] ByStatus =
    [
        BadRequest, Unauthorized, NotFound, MethodNotAllowed, RequestTimeout, PayloadTooLarge,
        TooManyRequests, InternalError, BadGateway, ServiceUnavailable, GatewayTimeout,
    ];

    /// <summary>The table row for a status; statuses outside the table map to 400's row for 4xx and 500's for the rest.</summary>
    public static OpenAiErrorKind ForStatus(int status)
    {
        foreach (var kind in ByStatus)
        {
            if (kind.Status == status)
                return kind;
        }
        return status is >= 400 and < 500 ? BadRequest : InternalError;
    }

    /// <summary>Writes an error body with a specific message (escaped; invalid UTF-16 becomes U+FFFD).</summary>
    /// <example><c>OpenAiError.Write(output, OpenAiError.ModelNotFound, index.UnknownModelMessage(name));</c></example>
    public static void Write(IBufferWriter<byte> output, OpenAiErrorKind kind, ReadOnlySpan<char> message)
        => Write(output, message, kind.Type, kind.Code);

    public static void Write(IBufferWriter<byte> output, ReadOnlySpan<char> message, string type, string? code)
    {
        // Transcode with replacement first: a model name read from JSON may hold a lone surrogate ("\ud800" is legal
        // JSON), which Utf8JsonWriter would reject with an exception.
        byte[]? rented = null;
        var maxBytes = message.Length * 3;
        var utf8 = maxBytes <= StackMessageLimit ? stackalloc byte[StackMessageLimit] : rented = ArrayPool<byte>.Shared.Rent(maxBytes);
        try
        {
            Utf8.FromUtf16(message, utf8, out _, out var length, replaceInvalidSequences: true);
            using var writer = new Utf8JsonWriter(output, WriterOptions);
            writer.WriteStartObject();
            writer.WriteStartObject("error"u8);
            writer.WriteString("message"u8, utf8[..length]);
            writer.WriteString("type"u8, type);
            if (code is null)
                writer.WriteNull("code"u8);
            else
                writer.WriteString("code"u8, code);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        finally
        {
            if (rented is not null)
                ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Retry-After as delta-seconds (RFC 9110 §10.2.3): whole seconds, rounded up, at least 1.</summary>
    public static int RetryAfterSeconds(TimeSpan delay)
        => delay <= TimeSpan.Zero ? 1 : (int)Math.Min(int.MaxValue, Math.Ceiling(delay.TotalSeconds));
}
