using System.Buffers;

namespace TinySwap.Tests.Support;

/// <summary>
/// Builds multi-segment sequences, the way a PipeReader hands over bytes that arrived in pieces, down to one byte per
/// segment: every boundary a parser can meet (request heads, chunked framing, JSON and multipart bodies).
/// </summary>
internal static class Sequences
{
    public static ReadOnlySequence<byte> Single(byte[] data) => new(data);

    /// <summary>One segment per byte: every boundary a parser can meet.</summary>
    public static ReadOnlySequence<byte> OneBytePerSegment(ReadOnlySpan<byte> data) => Chunked(data.ToArray(), 1);

    public static ReadOnlySequence<byte> Chunked(byte[] data, int size)
    {
        var cuts = new List<int>();
        for (var at = size; at < data.Length; at += size)
            cuts.Add(at);
        return CutAt(data, cuts);
    }

    /// <summary>Segments ending at the given offsets (each segment its own array, so nothing is contiguous by accident).</summary>
    public static ReadOnlySequence<byte> CutAt(byte[] data, IEnumerable<int> cuts)
    {
        if (data.Length == 0)
            return ReadOnlySequence<byte>.Empty;
        Segment? first = null, last = null;
        var start = 0;
        foreach (var end in cuts.Where(c => c > 0 && c < data.Length).Distinct().Order().Append(data.Length))
        {
            var segment = new Segment(data.AsSpan(start, end - start).ToArray());
            if (first is null)
                first = last = segment;
            else
                last = last!.Append(segment);
            start = end;
        }
        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(byte[] data) => Memory = data;

        public Segment Append(Segment next)
        {
            next.RunningIndex = RunningIndex + Memory.Length;
            Next = next;
            return next;
        }
    }
}
