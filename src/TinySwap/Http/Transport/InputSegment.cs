using System.Buffers;

namespace TinySwap.Http.Transport;

/// <summary>
/// One pooled receive buffer in <see cref="SocketInput"/>'s chain: the bytes received into it so far are its
/// <see cref="ReadOnlySequenceSegment{T}.Memory"/>.
/// </summary>
internal sealed class InputSegment : ReadOnlySequenceSegment<byte>
{
    public byte[] Array { get; private set; } = [];

    public int Written => Memory.Length;

    public int Room => Array.Length - Memory.Length;

    public void Start(byte[] array, long runningIndex)
    {
        Array = array;
        RunningIndex = runningIndex;
        Memory = default;
        Next = null;
    }

    public void Append(int received) => Memory = Array.AsMemory(0, Memory.Length + received);

    public void Link(InputSegment next) => Next = next;

    /// <summary>Gives the buffer back (to the pool unless a reader may still hold it) and forgets it.</summary>
    public void Release(bool toPool)
    {
        if (toPool && Array.Length > 0)
            ArrayPool<byte>.Shared.Return(Array);
        Array = [];
        Memory = default;
        Next = null;
    }
}
