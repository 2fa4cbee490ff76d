using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using TinySwap.Http.Transport;

namespace TinySwap.Http.Server;

internal sealed partial class ResponseWriter
{
    // "ffffffff\r\n" before the data, "\r\n" after it.
    private const int MaxChunkPrefixBytes = 10;
    private const int ChunkOverheadBytes = MaxChunkPrefixBytes + 2;

    private Memory<byte> _chunkMemory;
    private int _chunkPrefixBytes;
    private byte[]? _discard;

    /// <summary>Memory for body bytes; commit them with <see cref="Advance"/>. Starts the response.</summary>
    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Start();
        switch (_framing)
        {
            case Framing.Chunked:
                // Like Kestrel, reserve room for the chunk-size line in front of the memory we hand out; the size is
                // written zero-padded to the reserved width on Advance (leading zeros are valid: 1*HEXDIG).
                var memory = _output.GetMemory(Math.Max(sizeHint, 1) + ChunkOverheadBytes);
                memory = memory[..Math.Min(memory.Length, int.MaxValue >> 4)];
                _chunkPrefixBytes = HexDigits(memory.Length - 2) + 2;
                _chunkMemory = memory;
                return memory[_chunkPrefixBytes..^2];
            case Framing.NoBody:
                // HEAD, 204, 304: the handler may write as for GET; the bytes go nowhere (RFC 9110 §9.3.2).
                if (_discard is null || _discard.Length < sizeHint)
                    _discard = new byte[Math.Max(sizeHint, 4096)];
                return _discard;
            default:
                return _output.GetMemory(sizeHint);
        }
    }

    public Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;

    public void Advance(int count)
    {
        if (count == 0)
            return;
        CheckLength(count);
        switch (_framing)
        {
            case Framing.Chunked:
                var span = _chunkMemory.Span;
                WriteHex(span[.._chunkPrefixBytes], count, _chunkPrefixBytes - 2);
                "\r\n"u8.CopyTo(span[(_chunkPrefixBytes + count)..]);
                _output.Advance(_chunkPrefixBytes + count + 2);
                _chunkMemory = default;
                break;
            case Framing.NoBody:
                break;
            default:
                _output.Advance(count);
                break;
        }
        _bodyBytes += count;
    }

    /// <summary>Copies body bytes (one chunk when chunked). Starts the response.</summary>
    public void Write(ReadOnlySpan<byte> data)
    {
        Start();
        if (data.IsEmpty)
            return;
        CheckLength(data.Length);
        if (_framing == Framing.Chunked)
            WriteChunkPrefix(data.Length);
        if (_framing != Framing.NoBody)
            _output.Write(data);
        if (_framing == Framing.Chunked)
            _output.Write("\r\n"u8);
        _bodyBytes += data.Length;
    }

    /// <summary>Copies body bytes (one chunk when chunked). Starts the response.</summary>
    public void Write(in ReadOnlySequence<byte> data)
    {
        if (data.IsSingleSegment)
        {
            Write(data.FirstSpan);
            return;
        }
        Start();
        CheckLength(data.Length);
        if (_framing == Framing.Chunked)
            WriteChunkPrefix(data.Length);
        if (_framing != Framing.NoBody)
        {
            foreach (var segment in data)
                _output.Write(segment.Span);
        }
        if (_framing == Framing.Chunked)
            _output.Write("\r\n"u8);
        _bodyBytes += data.Length;
    }

    /// <summary>Sends everything written so far (the head included). Throws when the client is gone.</summary>
    public ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        Start();
        return _output.FlushAsync(cancellationToken);
    }

    /// <summary>
    /// Ends the body: the last chunk for chunked responses, a check that a declared Content-Length was met (a short
    /// body resets the connection rather than leave the client waiting or reading a truncated body as whole).
    /// A response completed before anything was written is sent with Content-Length: 0.
    /// </summary>
    [AsyncMethodBuilder(typeof(DeepPoolingValueTaskMethodBuilder))]
    public async ValueTask CompleteAsync()
    {
        if (_state == State.Completed)
            return;
        if (_state == State.NotStarted && _contentLength < 0 && !_requestIsHead)
            _contentLength = 0;
        Start();
        _state = State.Completed;
        if (_framing == Framing.ContentLength && _bodyBytes < _contentLength)
        {
            KeepAlive = false;
            Abort();
            return;
        }
        if (_framing == Framing.Chunked)
            _output.Write("0\r\n\r\n"u8);
        await _output.FlushAsync();
    }

    private void CheckLength(long count)
    {
        if (_framing == Framing.ContentLength && _bodyBytes + count > _contentLength)
            throw new InvalidOperationException("body longer than the declared Content-Length");
    }

    private void WriteChunkPrefix(long length)
    {
        var digits = HexDigits(length);
        var span = _output.GetSpan(digits + 2);
        WriteHex(span, length, digits);
        _output.Advance(digits + 2);
    }

    private static int HexDigits(long value) => Math.Max(1, (64 - System.Numerics.BitOperations.LeadingZeroCount((ulong)value) + 3) / 4);

    /// <summary>Writes <paramref name="value"/> as exactly <paramref name="digits"/> hex digits, then CRLF.</summary>
    private static void WriteHex(Span<byte> destination, long value, int digits)
    {
        for (var i = digits - 1; i >= 0; i--)
        {
            destination[i] = (byte)"0123456789abcdef"[(int)(value & 0xF)];
            value >>= 4;
        }
        destination[digits] = (byte)'\r';
        destination[digits + 1] = (byte)'\n';
    }
}
