using System.Diagnostics.CodeAnalysis;

namespace TinySwap.Http.Parsing;

/// <summary>Every reason a message is refused; each maps to exactly one status code (see <see cref="HttpRejections.StatusCode"/>).</summary>
internal enum HttpRejection : byte
{
    None,
    InvalidRequestLine,
    InvalidMethod,
    InvalidRequestTarget,
    InvalidVersion,
    UnsupportedVersion,
    RequestLineTooLong,
    InvalidStatusLine,
    InvalidHeaderLine,
    ObsoleteLineFolding,
    InvalidHeaderName,
    InvalidHeaderValue,
    BareCarriageReturn,
    HeadersTooLarge,
    TooManyHeaders,
    MissingHost,
    DuplicateHost,
    EmptyHost,
    InvalidHost,
    InvalidContentLength,
    DuplicateContentLength,
    ContentLengthWithTransferEncoding,
    ChunkedNotFinal,
    TransferEncodingInHttp10,
    UnsupportedTransferCoding,
    UnsupportedExpectation,
    InvalidChunkSize,
    InvalidChunkExtension,
    ChunkExtensionTooLong,
    InvalidChunkTerminator,
    InvalidTrailer,
    BodyTooLarge,
    UnexpectedEndOfBody,
    HeadersTimeout,
    BodyTooSlow,
}

/// <summary>The status each rejection is answered with.</summary>
internal static class HttpRejections
{
    public static int StatusCode(HttpRejection reason) => reason switch
    {
        HttpRejection.RequestLineTooLong => 414,
        HttpRejection.HeadersTooLarge or HttpRejection.TooManyHeaders => 431,
        HttpRejection.BodyTooLarge => 413,
        HttpRejection.HeadersTimeout or HttpRejection.BodyTooSlow => 408,
        HttpRejection.UnsupportedVersion => 505,
        // RFC 9112 §6.1: a coding we do not implement is 501; chunked not last (below, 400) is a framing error.
        HttpRejection.UnsupportedTransferCoding => 501,
        HttpRejection.UnsupportedExpectation => 417,
        _ => 400,
    };

    /// <summary>Short text for logs and error bodies; static so a rejection allocates nothing but its exception.</summary>
    public static string Describe(HttpRejection reason) => reason switch
    {
        HttpRejection.InvalidRequestLine => "malformed request line",
        HttpRejection.InvalidMethod => "invalid method",
        HttpRejection.InvalidRequestTarget => "invalid request target",
        HttpRejection.InvalidVersion => "invalid HTTP version",
        HttpRejection.UnsupportedVersion => "HTTP version not supported",
        HttpRejection.RequestLineTooLong => "request line too long",
        HttpRejection.InvalidStatusLine => "malformed status line",
        HttpRejection.InvalidHeaderLine => "malformed header line",
        HttpRejection.ObsoleteLineFolding => "obsolete line folding",
        HttpRejection.InvalidHeaderName => "invalid header name",
        HttpRejection.InvalidHeaderValue => "invalid header value",
        HttpRejection.BareCarriageReturn => "bare CR",
        HttpRejection.HeadersTooLarge => "header section too large",
        HttpRejection.TooManyHeaders => "too many header fields",
        HttpRejection.MissingHost => "missing Host",
        HttpRejection.DuplicateHost => "duplicate Host",
        HttpRejection.EmptyHost => "empty Host",
        HttpRejection.InvalidHost => "invalid Host",
        HttpRejection.InvalidContentLength => "invalid Content-Length",
        HttpRejection.DuplicateContentLength => "duplicate Content-Length",
        HttpRejection.ContentLengthWithTransferEncoding => "Content-Length with Transfer-Encoding",
        HttpRejection.ChunkedNotFinal => "chunked is not the final transfer coding",
        HttpRejection.TransferEncodingInHttp10 => "Transfer-Encoding in an HTTP/1.0 message",
        HttpRejection.UnsupportedTransferCoding => "unsupported transfer coding",
        HttpRejection.UnsupportedExpectation => "unsupported expectation",
        HttpRejection.InvalidChunkSize => "invalid chunk size",
        HttpRejection.InvalidChunkExtension => "invalid chunk extension",
        HttpRejection.ChunkExtensionTooLong => "chunk extension too long",
        HttpRejection.InvalidChunkTerminator => "chunk data not followed by CRLF",
        HttpRejection.InvalidTrailer => "invalid trailer section",
        HttpRejection.BodyTooLarge => "body too large",
        HttpRejection.UnexpectedEndOfBody => "connection closed before the body ended",
        HttpRejection.HeadersTimeout => "request headers not received in time",
        HttpRejection.BodyTooSlow => "request body arrived too slowly",
        _ => "bad request",
    };
}

/// <summary>Thrown by the parsers; caught at the stage boundary (connection loop, upstream client) and turned into a value.</summary>
internal sealed class HttpRejectedException(HttpRejection reason) : Exception(HttpRejections.Describe(reason))
{
    public HttpRejection Reason { get; } = reason;

    [DoesNotReturn]
    public static void Throw(HttpRejection reason) => throw new HttpRejectedException(reason);
}
