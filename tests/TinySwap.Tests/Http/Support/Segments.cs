using System.Buffers;

namespace TinySwap.Tests.Http.Support;

/// <summary>Builds multi-segment sequences, down to one byte per segment, to exercise every boundary case.</summary>
internal static class Segments
{
    public static ReadOnlySequence<byte> OneBytePerSegment(ReadOnlySpan<byte> bytes) => Split(bytes, 1);

    public static ReadOnlySequence<byte> Split(ReadOnlySpan<byte> bytes, int segmentSize)
    {
        if (bytes.IsEmpty)
            return ReadOnlySequence<byte>.Empty;
        Segment? first = null;
        Segment? last = null;
        for (var offset = 0; offset < bytes.Length; offset += segmentSize)
        {
            var segment = new Segment(bytes.Slice(offset, Math.Min(segmentSize, bytes.Length - offset)).ToArray());
            if (first is null)
                first = segment;
            else
                last!.Append(segment);
            last = segment;
        }
        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(byte[] bytes) => Memory = bytes;

        public void Append(Segment next)
        {
            next.RunningIndex = RunningIndex + Memory.Length;
            Next = next;
        }
    }
}
