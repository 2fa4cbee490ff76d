using TinySwap.Http;
using System.Globalization;

namespace TinySwap.Http.Server;

/// <summary>Sends errors the way OpenAI-compatible clients expect (<see cref="OpenAiError"/>), for the server and the proxy alike.</summary>
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
        response.StatusCode = statusCode;
        response.AddHeader("Content-Type"u8, "application/json"u8);
        // Errors are rare: a writer per error is cheaper than keeping one per connection.
        var body = new System.Buffers.ArrayBufferWriter<byte>(128);
        OpenAiError.Write(body, message, type, code);
        response.ContentLength = body.WrittenCount;
        response.Write(body.WrittenSpan);
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
        if (message is not null)
            return WriteAsync(response, kind.Status, message);
        response.StatusCode = kind.Status;
        response.AddHeader("Content-Type"u8, "application/json"u8);
        response.ContentLength = kind.DefaultBody.Length;
        response.Write(kind.DefaultBody.Span);
        return response.CompleteAsync();
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
