using TinySwap.Http;
using System.Globalization;

namespace TinySwap.Http.Server;

/// <summary>
/// Sends errors the way clients expect — OpenAI-shaped (<see cref="OpenAiError"/>), or Anthropic-shaped
/// (<see cref="AnthropicError"/>) when the front door set <see cref="ResponseWriter.ErrorShape"/> — for the server and the proxy alike.
/// </summary>
internal static class ErrorResponse
{
    /// <summary>
    /// A complete error response; the caller checks that the response has not started. Without a <paramref name="type"/>
    /// the status's row of the table gives type and code.
    /// </summary>
    public static ValueTask WriteAsync(ResponseWriter response, int statusCode, string message, string? type = null, string? code = null)
    {
        if (type is null)
        {
            var kind = OpenAiError.ForStatus(statusCode);
            (type, code) = (kind.Type, kind.Code);
        }
        // Errors are rare: a writer per error is cheaper than keeping one per connection.
        var body = new System.Buffers.ArrayBufferWriter<byte>(128);
        if (response.ErrorShape == ErrorShape.Anthropic)
            AnthropicError.Write(body, message, statusCode);
        else
            OpenAiError.Write(body, message, type, code);
        return WriteBodyAsync(response, statusCode, body.WrittenSpan);
    }

    private static ValueTask WriteBodyAsync(ResponseWriter response, int statusCode, ReadOnlySpan<byte> body)
    {
        response.StatusCode = statusCode;
        // RFC 9110 §15.5.2: a 401 MUST say how to authenticate; our keys are bearer tokens (or x-api-key).
        if (statusCode == 401)
            response.AddHeader("WWW-Authenticate"u8, "Bearer"u8);
        response.AddHeader("Content-Type"u8, "application/json"u8);
        response.ContentLength = body.Length;
        response.Write(body);
        return response.CompleteAsync();
    }

    /// <summary>
    /// Answers with an error row (its cached body when there is no specific message), unless the response has already
    /// started: then only an abort is honest, so a client never takes half a response for a whole one.
    /// </summary>
    public static ValueTask WriteAsync(HttpExchange exchange, OpenAiErrorKind kind, string? message = null, TimeSpan? retryAfter = null)
    {
        var response = exchange.Response;
        if (response.HasStarted)
        {
            exchange.Abort();
            return ValueTask.CompletedTask;
        }
        AddRetryAfter(response, retryAfter);
        if (message is not null || response.ErrorShape != ErrorShape.OpenAi)
            return WriteAsync(response, kind.Status, message ?? kind.DefaultMessage, kind.Type, kind.Code);
        return WriteBodyAsync(response, kind.Status, kind.DefaultBody.Span);
    }

    /// <summary>An error with its own status, message, type and code (a refusal the router decided); aborts a started response.</summary>
    public static ValueTask WriteAsync(HttpExchange exchange, int statusCode, string message, string type, string? code, TimeSpan? retryAfter)
    {
        if (exchange.Response.HasStarted)
        {
            exchange.Abort();
            return ValueTask.CompletedTask;
        }
        AddRetryAfter(exchange.Response, retryAfter);
        return WriteAsync(exchange.Response, statusCode, message, type, code);
    }

    /// <summary>Retry-After (RFC 9110 §10.2.3) for 429 and 503, when the caller knows a sensible delay.</summary>
    public static void AddRetryAfter(ResponseWriter response, TimeSpan? retryAfter)
    {
        if (retryAfter is { } delay)
            response.AddHeader("Retry-After", OpenAiError.RetryAfterSeconds(delay).ToString(CultureInfo.InvariantCulture));
    }
}
