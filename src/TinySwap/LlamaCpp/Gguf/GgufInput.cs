using System.Buffers.Binary;

namespace TinySwap.LlamaCpp.Gguf;

/// <summary>
/// Little-endian reads over a stream through one fixed buffer: memory stays at the buffer's size whatever the file
/// claims, a skip past a large value seeks (or reads and discards when the stream cannot seek), and every read checks
/// the header budget and, when the length is known, that the bytes exist before it trusts a length field.
/// </summary>
internal sealed class GgufInput
{
    private const int BufferSize = 64 * 1024;

    private readonly Stream _stream;
    private readonly long _maxHeaderBytes;
    private readonly byte[] _buffer = new byte[BufferSize];
    private int _start;
    private int _end;

    public GgufInput(Stream stream, long? length, long maxHeaderBytes)
    {
        _stream = stream;
        Length = length;
        _maxHeaderBytes = maxHeaderBytes;
    }

    /// <summary>Total bytes of the file, when known.</summary>
    public long? Length { get; }

    /// <summary>Bytes consumed from the start of the file.</summary>
    public long Position { get; private set; }

    /// <summary>What is being read, for error messages ("metadata key 3 'llama.block_count'").</summary>
    public string Context { get; set; } = "header";

    public long? Remaining => Length - Position;

    public byte ReadByte() => Take(1)[0];
    public ushort ReadUInt16() => BinaryPrimitives.ReadUInt16LittleEndian(Take(2));
    public uint ReadUInt32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));
    public ulong ReadUInt64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8));

    /// <summary>A span valid until the next read; <paramref name="count"/> must fit the buffer.</summary>
    public ReadOnlySpan<byte> Take(int count)
    {
        if (count > BufferSize)
            throw Fail($"a read of {count} bytes is larger than the reader allows");
        Reserve(count);
        if (_end - _start < count)
            Fill(count);
        var span = _buffer.AsSpan(_start, count);
        _start += count;
        Position += count;
        return span;
    }

    public void Skip(long count)
    {
        Reserve(count);
        var buffered = Math.Min(count, _end - _start);
        _start += (int)buffered;
        Position += buffered;
        var rest = count - buffered;
        if (rest == 0)
            return;
        if (_stream.CanSeek)
        {
            // Reserve checked the length, so the seek lands inside the file.
            _stream.Seek(rest, SeekOrigin.Current);
            Position += rest;
            return;
        }
        while (rest > 0)
        {
            var read = _stream.Read(_buffer, 0, (int)Math.Min(rest, BufferSize));
            if (read == 0)
                throw Truncated();
            rest -= read;
            Position += read;
        }
        _start = _end = 0;
    }

    /// <summary>Refuses before reading: past the header budget, or past the end of a file of known length.</summary>
    private void Reserve(long count)
    {
        if (count < 0 || Position + count > _maxHeaderBytes)
            throw Fail($"the header would exceed {_maxHeaderBytes} bytes; refusing to read further");
        if (Length is { } length && Position + count > length)
            throw Truncated();
    }

    private void Fill(int count)
    {
        var pending = _end - _start;
        _buffer.AsSpan(_start, pending).CopyTo(_buffer);
        _start = 0;
        _end = pending;
        while (_end < count)
        {
            var read = _stream.Read(_buffer, _end, BufferSize - _end);
            if (read == 0)
                throw Truncated();
            _end += read;
        }
    }

    public GgufFormatException Truncated() => Fail("the file ends early (truncated)");

    public GgufFormatException Fail(string reason) => new($"{reason}, in {Context} at byte {Position}");
}
