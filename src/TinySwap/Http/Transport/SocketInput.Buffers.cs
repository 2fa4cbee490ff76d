using System.Buffers;

namespace TinySwap.Http.Transport;

/// <summary>
/// The received bytes as a chain of pooled buffers: the next recv(2) fills the tail's room (or a fresh buffer when the
/// tail is nearly full), and AdvanceTo gives back the buffers the reader has consumed.
/// </summary>
internal sealed partial class SocketInput
{
    /// <summary>Room for the next recv(2): the tail buffer's, or a new one when the tail is nearly full.</summary>
    private Memory<byte> ReceiveBuffer()
    {
        var tail = _tail;
        if (tail is null || tail.Room < MinTailRoom)
        {
            var segment = _spare ?? new InputSegment();
            _spare = null;
            segment.Start(ArrayPool<byte>.Shared.Rent(_receiveSize), _received);
            if (tail is null)
            {
                _head = segment;
                _headStart = 0;
            }
            else
            {
                tail.Link(segment);
            }
            _tail = tail = segment;
        }
        return tail.Array.AsMemory(tail.Written);
    }

    /// <summary>A buffer a poll found nothing for goes back: an idle connection holds no receive buffer.</summary>
    private void ReleaseIfEmpty()
    {
        if (_head is { Written: 0 } head && head == _tail)
        {
            Recycle(head);
            _head = _tail = null;
        }
    }

    private void Recycle(InputSegment segment)
    {
        segment.Release(toPool: true);
        _spare = segment;
    }

    private ReadOnlySequence<byte> Buffer() =>
        _head is null ? default : new ReadOnlySequence<byte>(_head, _headStart, _tail!, _tail!.Written);

    /// <summary>A position of a buffer we handed out, as a count since the connection opened.</summary>
    private long Absolute(SequencePosition position) => position.GetObject() is InputSegment segment
        ? segment.RunningIndex + position.GetInteger()
        : _head is null ? _received : _head.RunningIndex + _headStart;
}
