namespace TinySwap.Http.Parsing;

/// <summary>How a message body is delimited (RFC 9112 §6.3).</summary>
internal enum BodyKind : byte
{
    None,
    ContentLength,
    Chunked,
    /// <summary>Responses only: the body runs until the connection closes.</summary>
    CloseDelimited,
}

/// <summary>The framing of one message body: its kind and, for Content-Length, its length.</summary>
internal readonly record struct BodyFraming(BodyKind Kind, long Length)
{
    public static BodyFraming None => default;
    public static BodyFraming Chunked => new(BodyKind.Chunked, -1);
    public static BodyFraming CloseDelimited => new(BodyKind.CloseDelimited, -1);
    public static BodyFraming FromLength(long length) => length == 0 ? None : new(BodyKind.ContentLength, length);
}
