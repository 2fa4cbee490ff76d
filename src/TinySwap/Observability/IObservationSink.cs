namespace TinySwap.Observability;

/// <summary>
/// Something that wants to know what tinyswap does: metrics, the activity list, and later the events stream. Called
/// on the thread where it happened (a connection's, or the router loop's), so an implementation must be quick and must
/// never block: anything slow belongs behind a bounded queue of its own. Default bodies let a sink pick what it needs.
/// </summary>
internal interface IObservationSink
{
    /// <summary>A request has entered the front door (its route is known, its model not yet).</summary>
    void RequestStarted(RequestTrace trace) { }

    /// <summary>A request has ended, however it ended; <paramref name="status"/> 0 means the connection was aborted.</summary>
    void RequestFinished(RequestTrace trace, int status, long bytes, long endTimestamp) { }

    /// <summary>The router began making room for <paramref name="model"/> and starting it.</summary>
    void SwapStarted(string model, ReadOnlySpan<string> evicted) { }

    /// <summary>A swap ended with <paramref name="model"/> ready after <paramref name="duration"/>.</summary>
    void SwapFinished(string model, TimeSpan duration) { }

    /// <summary>A start of <paramref name="model"/> failed (the process exited, or never got healthy).</summary>
    void LoadFailed(string model, string reason) { }

    /// <summary>A model is being stopped or put to sleep; <paramref name="reason"/> is one of <see cref="EvictionReasons"/>.</summary>
    void Evicted(string model, string reason) { }
}

/// <summary>The fixed words an eviction's reason can be: label values, so never free text.</summary>
internal static class EvictionReasons
{
    public const string Swap = "swap";
    public const string Ttl = "ttl";
    public const string Unload = "unload";
    public const string Reload = "reload";
    public const string Shutdown = "shutdown";
    public const string Failure = "failure";

    public static readonly string[] All = [Swap, Ttl, Unload, Reload, Shutdown, Failure];
}
