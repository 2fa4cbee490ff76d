namespace TinySwap.Proxy.Forwarding;

/// <summary>
/// The part of a client's body already consumed from the connection and kept somewhere other than memory (a
/// multipart upload whose file came before its <c>model</c> field): read back by position, sent before the rest.
/// </summary>
internal interface IRequestBodyPrefix
{
    /// <summary>Bytes to send, after any rewrite (<see cref="ForwardRequest.BodyLengthChange"/> already applied).</summary>
    long Length { get; }

    /// <summary>Copies bytes from <paramref name="offset"/> on into <paramref name="destination"/>; returns how many (0 only at the end).</summary>
    ValueTask<int> ReadAsync(long offset, Memory<byte> destination, CancellationToken cancellationToken);
}
