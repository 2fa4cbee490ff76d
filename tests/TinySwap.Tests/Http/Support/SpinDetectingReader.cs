using System.Buffers;
using System.IO.Pipelines;

namespace TinySwap.Tests.Http.Support;

/// <summary>
/// Wraps a connection's <see cref="PipeReader"/> and fails a read that hands back only bytes the caller already
/// examined in full. Pipe.TryRead does that (it ignores "examined"); a caller that then asks again without new input
/// is a busy loop, and on an inline-scheduled receive thread a hang. Failing here turns such a hang into a test failure.
/// </summary>
internal sealed class SpinDetectingReader(PipeReader inner) : PipeReader
{
    private ReadOnlySequence<byte> _last;
    private long _examinedUnconsumed = -1;

    /// <summary>Reads that returned a result (TryRead that found something, and ReadAsync).</summary>
    public int Reads { get; private set; }

    /// <summary>The buffer the last read returned.</summary>
    public ReadOnlySequence<byte> LastBuffer => _last;

    public override bool TryRead(out ReadResult result)
    {
        if (!inner.TryRead(out result))
            return false;
        Check(result);
        return true;
    }

    public override async ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        var result = await inner.ReadAsync(cancellationToken);
        Check(result);
        return result;
    }

    public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        _examinedUnconsumed = _last.Slice(examined).IsEmpty ? _last.Slice(consumed).Length : -1;
        inner.AdvanceTo(consumed, examined);
    }

    public override void CancelPendingRead() => inner.CancelPendingRead();

    public override void Complete(Exception? exception = null) => inner.Complete(exception);

    private void Check(ReadResult result)
    {
        if (_examinedUnconsumed >= 0 && result.Buffer.Length == _examinedUnconsumed && !result.IsCompleted && !result.IsCanceled)
            throw new InvalidOperationException($"a read returned only the {_examinedUnconsumed} bytes already examined: the caller would spin");
        _last = result.Buffer;
        Reads++;
    }
}
