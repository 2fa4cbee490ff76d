using System.Diagnostics;

namespace FakeUpstream;

/// <summary>
/// Timestamps in microseconds that another process can compare with its own: CLOCK_MONOTONIC (what
/// Stopwatch reads on Linux, shared by every process on the machine) and CLOCK_REALTIME.
/// </summary>
internal static class Clock
{
    public static long MonotonicMicroseconds() => (long)(Stopwatch.GetTimestamp() * (1_000_000.0 / Stopwatch.Frequency));

    public static long RealtimeMicroseconds() => (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) / 10;
}
