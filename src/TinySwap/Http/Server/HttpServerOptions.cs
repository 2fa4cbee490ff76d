using TinySwap.Config;

namespace TinySwap.Http.Server;

/// <summary>Everything the server needs besides its handler: addresses, limits and the timing knobs tests shorten.</summary>
internal sealed record HttpServerOptions
{
    /// <summary>HOST:PORT entries (see <see cref="ListenAddress"/>).</summary>
    public IReadOnlyList<string> Listen { get; init; } = ["127.0.0.1:8080"];

    public HttpLimits Limits { get; init; } = new();

    /// <summary>Resolution of every timeout (headers, keep-alive, body rate, drain).</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>A request answered before its body was read keeps the connection only if at most this much body is left.</summary>
    public long DrainLimitBytes { get; init; } = 256 * 1024;

    /// <summary>How long we read and discard such a leftover body before giving up on the connection.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// After we close our side with unread input pending, how long we keep reading so the client gets our response
    /// instead of a reset (the lingering close nginx does).
    /// </summary>
    public TimeSpan LingerTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Return the heap to the system when the server goes quiet after a busy period (<see cref="IdleMemoryTrim"/>).
    /// The service turns it on; tests that run many servers in one process leave it off.
    /// </summary>
    public bool TrimMemoryWhenIdle { get; init; }

    /// <summary>Grace for in-flight requests when the server stops.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
