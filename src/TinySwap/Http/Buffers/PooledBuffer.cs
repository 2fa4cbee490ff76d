using System.Buffers;

namespace TinySwap.Http.Buffers;

/// <summary>
/// A growable byte buffer on <see cref="ArrayPool{T}"/>: request bodies the proxy must hold (to find the model, or to
/// rewrite them) live here, and go back to the pool when the request ends. Dispose returns the array and empties the
/// buffer, which can then be written again (it rents anew), so one buffer can serve a connection's every request.
/// </summary>
internal sealed class PooledBuffer : IBufferWriter<byte>, IDisposable
{
    private readonly int _initialCapacity;
    private byte[] _array = [];
    private int _written;

    /// <param name="initialCapacity">The least it rents once written to (0: what the first write needs).</param>
    public PooledBuffer(int initialCapacity = 4096) => _initialCapacity = initialCapacity;

    public ReadOnlyMemory<byte> WrittenMemory => _array.AsMemory(0, _written);
    public ReadOnlySpan<byte> WrittenSpan => _array.AsSpan(0, _written);
    public int WrittenCount => _written;

    public void Write(in ReadOnlySequence<byte> data)
    {
        foreach (var segment in data)
        {
            segment.Span.CopyTo(GetSpan(segment.Length));
            _written += segment.Length;
        }
    }

    public void Advance(int count) => _written += count;

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _array.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _array.AsSpan(_written);
    }

    private void Reserve(int sizeHint)
    {
        var needed = _written + Math.Max(sizeHint, 1);
        if (needed <= _array.Length)
            return;
        // Doubling keeps the total copying linear in the body size.
        var larger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, Math.Max(_array.Length * 2, _initialCapacity)));
        _array.AsSpan(0, _written).CopyTo(larger);
        if (_array.Length > 0)
            ArrayPool<byte>.Shared.Return(_array);
        _array = larger;
    }

    public void Dispose()
    {
        var array = _array;
        _array = [];
        _written = 0;
        if (array.Length > 0)
            ArrayPool<byte>.Shared.Return(array);
    }
}
