using System.Globalization;

namespace FakeUpstream.Http;

/// <summary>
/// Reads one message body framed by Content-Length or chunked transfer coding (RFC 9112 §6.3, §7.1):
/// request bodies in the server, response bodies in the client modes. Chunk extensions and trailers are dropped.
/// </summary>
internal sealed class MessageBody
{
    private readonly ConnectionInput _input;
    private readonly bool _chunked;
    private long _remaining;       // bytes left in the body (Content-Length) or in the current chunk
    private bool _finished;

    public MessageBody(ConnectionInput input, bool chunked, long length)
    {
        _input = input;
        _chunked = chunked;
        _remaining = length;
        _finished = !chunked && length == 0;
    }

    /// <summary>The body's framing, or an error text for a 400.</summary>
    public static (MessageBody? Body, string? Error) For(HttpRequest request, ConnectionInput input)
    {
        // Transfer-Encoding overrides Content-Length (RFC 9112 §6.3 rule 3).
        if (request.HeaderHasToken("Transfer-Encoding", "chunked"))
            return (new MessageBody(input, chunked: true, 0), null);
        var contentLength = request.Header("Content-Length");
        if (contentLength is null)
            return (new MessageBody(input, chunked: false, 0), null);
        if (!long.TryParse(contentLength, NumberStyles.None, CultureInfo.InvariantCulture, out var length))
            return (null, "bad Content-Length");
        return (new MessageBody(input, chunked: false, length), null);
    }

    public bool IsFinished => _finished;

    /// <summary>Bytes read so far, so routes can report the body length without buffering it.</summary>
    public long BytesRead { get; private set; }

    /// <summary>Reads up to destination.Length body bytes; 0 means the body has ended.</summary>
    public async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancel)
    {
        if (_finished)
            return 0;
        if (_chunked && _remaining == 0 && !await NextChunkAsync(cancel))
            return 0;

        var want = (int)Math.Min(destination.Length, _remaining);
        var read = await _input.ReadAsync(destination[..want], cancel);
        if (read == 0)
            throw new IOException("connection closed inside the request body");
        _remaining -= read;
        BytesRead += read;
        if (_remaining == 0)
        {
            if (_chunked)
                await ExpectLineEndAsync(cancel);
            else
                _finished = true;
        }
        return read;
    }

    /// <summary>Reads the next chunk-size line; false (and finished) on the last chunk.</summary>
    private async ValueTask<bool> NextChunkAsync(CancellationToken cancel)
    {
        var line = await _input.ReadLineAsync(cancel) ?? throw new IOException("connection closed before a chunk size");
        var semicolon = line.IndexOf(';');
        var sizeText = (semicolon < 0 ? line : line[..semicolon]).Trim();
        if (!long.TryParse(sizeText, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var size) || size < 0)
            throw new InvalidDataException($"bad chunk size '{sizeText}'");
        if (size > 0)
        {
            _remaining = size;
            return true;
        }
        // Last chunk: trailer fields until the empty line.
        while (true)
        {
            var trailer = await _input.ReadLineAsync(cancel) ?? throw new IOException("connection closed inside the trailers");
            if (trailer.Length == 0)
                break;
        }
        _finished = true;
        return false;
    }

    private async ValueTask ExpectLineEndAsync(CancellationToken cancel)
    {
        var line = await _input.ReadLineAsync(cancel) ?? throw new IOException("connection closed after a chunk");
        if (line.Length != 0)
            throw new InvalidDataException("chunk data longer than its size");
    }

    /// <summary>Reads the whole body into <paramref name="scratch"/> (grown as needed) and returns its length.</summary>
    public async ValueTask<int> ReadAllAsync(ScratchBuffer scratch, int limit, CancellationToken cancel)
    {
        var length = 0;
        while (true)
        {
            if (length == scratch.Array.Length)
            {
                if (length >= limit)
                    throw new InvalidDataException($"body longer than {limit} bytes");
                scratch.Grow(Math.Min(limit, length * 2));
            }
            var read = await ReadAsync(scratch.Array.AsMemory(length), cancel);
            if (read == 0)
                return length;
            length += read;
        }
    }

    /// <summary>Reads and discards the rest of the body, so the next request on the connection starts clean.</summary>
    public async ValueTask DrainAsync(ScratchBuffer scratch, CancellationToken cancel)
    {
        while (await ReadAsync(scratch.Array, cancel) > 0)
        {
        }
    }
}

/// <summary>A per-connection byte array reused across requests, so small bodies cost no allocation.</summary>
internal sealed class ScratchBuffer
{
    public byte[] Array { get; private set; } = new byte[16 * 1024];

    public void Grow(int size)
    {
        var bigger = new byte[size];
        Array.CopyTo(bigger, 0);
        Array = bigger;
    }
}
