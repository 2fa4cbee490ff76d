using System.Buffers;

namespace TinySwap.Observability.Capture;

/// <summary>
/// Bytes kept up to <see cref="Limit"/>, the rest only counted: a streamed answer of any length costs at most the
/// limit. The buffer is pooled while a request runs and goes back to the pool when it ends.
/// </summary>
internal sealed class CappedBytes
{
    private const int FirstBufferBytes = 4096;

    private byte[] _buffer = [];
    private int _length;

    public int Limit { get; private set; }

    /// <summary>Every byte offered, kept or not.</summary>
    public long Total { get; private set; }

    public bool Truncated => Total > _length;

    public ReadOnlySpan<byte> Kept => _buffer.AsSpan(0, _length);

    public void Append(ReadOnlySpan<byte> data)
    {
        Total += data.Length;
        var take = Math.Min(Limit - _length, data.Length);
        if (take <= 0)
            return;
        Reserve(_length + take);
        data[..take].CopyTo(_buffer.AsSpan(_length));
        _length += take;
    }

    public void Append(in ReadOnlySequence<byte> data)
    {
        foreach (var segment in data)
            Append(segment.Span);
    }

    /// <summary>Empties the buffer (returning it to the pool) and sets the limit for what comes next.</summary>
    public void Reset(int limit)
    {
        if (_buffer.Length > 0)
            ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
        _length = 0;
        Total = 0;
        Limit = Math.Max(limit, 0);
    }

    private void Reserve(int needed)
    {
        if (needed <= _buffer.Length)
            return;
        // Doubling keeps the copying linear; never past the limit, which is all we will ever hold.
        var size = Math.Min(Math.Max(needed, Math.Max(FirstBufferBytes, _buffer.Length * 2)), Limit);
        var larger = ArrayPool<byte>.Shared.Rent(size);
        Kept.CopyTo(larger);
        if (_buffer.Length > 0)
            ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = larger;
    }
}
