namespace TinySwap.Http.Server;

/// <summary>Reason phrases for the status line (RFC 9110 §15); informational only, so unknown codes get none.</summary>
internal static class StatusLines
{
    public static ReadOnlySpan<byte> ReasonPhrase(int statusCode) => statusCode switch
    {
        100 => "Continue"u8,
        101 => "Switching Protocols"u8,
        200 => "OK"u8,
        201 => "Created"u8,
        202 => "Accepted"u8,
        204 => "No Content"u8,
        206 => "Partial Content"u8,
        301 => "Moved Permanently"u8,
        302 => "Found"u8,
        304 => "Not Modified"u8,
        307 => "Temporary Redirect"u8,
        308 => "Permanent Redirect"u8,
        400 => "Bad Request"u8,
        401 => "Unauthorized"u8,
        403 => "Forbidden"u8,
        404 => "Not Found"u8,
        405 => "Method Not Allowed"u8,
        408 => "Request Timeout"u8,
        409 => "Conflict"u8,
        411 => "Length Required"u8,
        413 => "Content Too Large"u8,
        414 => "URI Too Long"u8,
        415 => "Unsupported Media Type"u8,
        417 => "Expectation Failed"u8,
        421 => "Misdirected Request"u8,
        422 => "Unprocessable Content"u8,
        429 => "Too Many Requests"u8,
        431 => "Request Header Fields Too Large"u8,
        500 => "Internal Server Error"u8,
        501 => "Not Implemented"u8,
        502 => "Bad Gateway"u8,
        503 => "Service Unavailable"u8,
        504 => "Gateway Timeout"u8,
        505 => "HTTP Version Not Supported"u8,
        _ => default,
    };

    /// <summary>Writes `HTTP/1.1 NNN Reason CRLF`; returns the bytes written (at most 48 + reason).</summary>
    public static int Write(Span<byte> destination, int statusCode)
    {
        // We answer every request as HTTP/1.1, our highest version (RFC 9110 §6.2), HTTP/1.0 clients included.
        "HTTP/1.1 "u8.CopyTo(destination);
        destination[9] = (byte)('0' + statusCode / 100 % 10);
        destination[10] = (byte)('0' + statusCode / 10 % 10);
        destination[11] = (byte)('0' + statusCode % 10);
        destination[12] = (byte)' ';
        var reason = ReasonPhrase(statusCode);
        reason.CopyTo(destination[13..]);
        destination[13 + reason.Length] = (byte)'\r';
        destination[14 + reason.Length] = (byte)'\n';
        return 15 + reason.Length;
    }
}
