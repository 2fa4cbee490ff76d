using System.Diagnostics;

namespace FakeUpstream;

/// <summary>What the routes need to know about this process: its flags, its age and its grandchild.</summary>
internal sealed class ServerState(Options options)
{
    private readonly long _startedAt = Stopwatch.GetTimestamp();
    private long _nextId;

    public Options Options { get; } = options;

    public int? GrandchildPid { get; set; }

    /// <summary>True once --startup-delay has passed; until then /health answers 503 like a loading llama-server.</summary>
    public bool IsReady => Stopwatch.GetElapsedTime(_startedAt).TotalMilliseconds >= Options.StartupDelayMs;

    public long NextId() => Interlocked.Increment(ref _nextId);
}
