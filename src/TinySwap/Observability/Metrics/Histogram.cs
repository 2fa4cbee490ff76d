namespace TinySwap.Observability.Metrics;

/// <summary>
/// A Prometheus histogram with fixed bucket bounds: counts per bucket (not cumulative; the writer sums them), total
/// count and sum. Lock-free: a count is one interlocked add, the sum a compare-exchange on its bits. A scrape can see
/// an observation's bucket before its sum: harmless, Prometheus reads histograms that way anyway.
/// </summary>
internal sealed class Histogram(double[] bounds)
{
    private readonly long[] _buckets = new long[bounds.Length + 1]; // the last one is +Inf
    private long _sumBits;

    /// <summary>Request durations and times to first byte: 5 ms for a cached answer up to 10 min of generation.</summary>
    public static readonly double[] RequestSeconds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

    /// <summary>Loads: a small model on an SSD in half a second, a 70B from a NAS in minutes.</summary>
    public static readonly double[] SwapSeconds = [0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300];

    /// <summary>Time at the gate: nothing for a ready model, a swap's length otherwise.</summary>
    public static readonly double[] WaitSeconds = [0.001, 0.01, 0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300];

    public ReadOnlySpan<double> Bounds => bounds;

    public void Observe(double value)
    {
        var i = 0;
        while (i < bounds.Length && value > bounds[i])
            i++;
        Interlocked.Increment(ref _buckets[i]);
        long current, next;
        do
        {
            current = Volatile.Read(ref _sumBits);
            next = BitConverter.DoubleToInt64Bits(BitConverter.Int64BitsToDouble(current) + value);
        }
        while (Interlocked.CompareExchange(ref _sumBits, next, current) != current);
    }

    /// <summary>Observations in bucket <paramref name="index"/> alone (index == Bounds.Length: above the last bound).</summary>
    public long Bucket(int index) => Volatile.Read(ref _buckets[index]);

    public double Sum => BitConverter.Int64BitsToDouble(Volatile.Read(ref _sumBits));
}
