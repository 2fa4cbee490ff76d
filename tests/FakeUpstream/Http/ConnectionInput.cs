using System.Net.Sockets;

namespace FakeUpstream.Http;

/// <summary>The receive side of one connection: a growable buffer over the socket that heads and bodies read from.</summary>
internal sealed class ConnectionInput(Socket socket)
{
    /// <summary>Heads beyond this are refused; llama-server clients never come close.</summary>
    public const int MaxHeadBytes = 64 * 1024;

    private byte[] _buffer = new byte[8 * 1024];
    private int _start, _end;

    public ReadOnlySpan<byte> Buffered => _buffer.AsSpan(_start, _end - _start);

    public int BufferedCount => _end - _start;

    public void Consume(int count) => _start += count;

    /// <summary>Receives more bytes after what is buffered; false at end of stream.</summary>
    public async ValueTask<bool> FillAsync(CancellationToken cancel)
    {
        if (_start == _end)
            _start = _end = 0;
        if (_end == _buffer.Length)
        {
            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }
            else if (_buffer.Length < MaxHeadBytes)
            {
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }
            else
            {
                throw new InvalidDataException($"request head larger than {MaxHeadBytes} bytes");
            }
        }
        var received = await socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, cancel);
        _end += received;
        return received > 0;
    }

    /// <summary>Reads body bytes: what is buffered first, then straight from the socket into the caller's memory.</summary>
    public async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancel)
    {
        if (BufferedCount > 0)
        {
            var count = Math.Min(BufferedCount, destination.Length);
            Buffered[..count].CopyTo(destination.Span);
            _start += count;
            return count;
        }
        return await socket.ReceiveAsync(destination, SocketFlags.None, cancel);
    }

    /// <summary>Reads one line (LF or CRLF) for chunked framing; null at end of stream.</summary>
    public async ValueTask<string?> ReadLineAsync(CancellationToken cancel)
    {
        while (true)
        {
            var lf = Buffered.IndexOf((byte)'\n');
            if (lf >= 0)
            {
                var line = System.Text.Encoding.Latin1.GetString(Buffered[..lf]).TrimEnd('\r');
                _start += lf + 1;
                return line;
            }
            if (!await FillAsync(cancel))
                return null;
        }
    }
}
