using Microsoft.Extensions.Logging;

namespace TinySwap.Router;

/// <summary>Router log messages (EventIds 4000-4099).</summary>
internal static partial class RouterLog
{
    // Value-typed parameters are object?: every [LoggerMessage] signature holding a value type is compiled once per
    // console formatter (~4 KB of binary each), while boxing on these rare events costs nothing. Hot-path messages
    // (ProxyLog) keep their types so a request allocates nothing.
    [LoggerMessage(4000, LogLevel.Information, "Swap to {ModelId} started, evicting [{Evicted}]")]
    public static partial void SwapStarted(ILogger logger, string modelId, string evicted);

    [LoggerMessage(4001, LogLevel.Information, "{ModelId} is ready ({ElapsedMs:0} ms after the swap began)")]
    public static partial void Ready(ILogger logger, string modelId, object? elapsedMs);

    [LoggerMessage(4002, LogLevel.Warning, "{ModelId} failed to start (exit code {ExitCode}): {Reason}")]
    public static partial void StartFailed(ILogger logger, string modelId, object? exitCode, string reason);

    [LoggerMessage(4003, LogLevel.Warning, "{ModelId} failed to start {Failures} time(s) in a row; next automatic start in {DelaySeconds:0.###} s (an explicit load tries at once)")]
    public static partial void RestartBackoff(ILogger logger, string modelId, object? failures, object? delaySeconds);

    [LoggerMessage(4004, LogLevel.Information, "{ModelId}: restart backoff cleared by an explicit load")]
    public static partial void RestartBackoffCleared(ILogger logger, string modelId);

    [LoggerMessage(4005, LogLevel.Debug, "Stopping {ModelId} ({Reason})")]
    public static partial void Stopping(ILogger logger, string modelId, object? reason);

    [LoggerMessage(4006, LogLevel.Information, "{ModelId} stopped in {ElapsedMs:0} ms (killed: {Killed})")]
    public static partial void Stopped(ILogger logger, string modelId, object? elapsedMs, object? killed);

    [LoggerMessage(4007, LogLevel.Warning, "{ModelId}: sleep hook failed (exit code {ExitCode}, timed out: {TimedOut}); stopping it instead")]
    public static partial void SleepFailed(ILogger logger, string modelId, object? exitCode, object? timedOut);

    [LoggerMessage(4008, LogLevel.Warning, "{ModelId} died while serving (exit code {ExitCode}): {Reason}; the next request restarts it")]
    public static partial void Fault(ILogger logger, string modelId, object? exitCode, string reason);

    [LoggerMessage(4009, LogLevel.Information, "{ModelId} idle for its TTL of {TtlSeconds} s; unloading")]
    public static partial void TtlExpired(ILogger logger, string modelId, object? ttlSeconds);

    [LoggerMessage(4010, LogLevel.Warning, "A request for {ModelId} timed out in the queue")]
    public static partial void QueueTimeout(ILogger logger, string modelId);

    [LoggerMessage(4011, LogLevel.Information, "Unloading {ModelId}")]
    public static partial void Unloading(ILogger logger, string modelId);

    [LoggerMessage(4012, LogLevel.Information, "Config reloaded: {Kept} models kept running, {Changed} changed, {Removed} removed, {Added} added")]
    public static partial void Reloaded(ILogger logger, object? kept, object? changed, object? removed, object? added);

    [LoggerMessage(4013, LogLevel.Information, "Shutting down: draining in-flight requests for up to {DrainSeconds} s")]
    public static partial void ShuttingDown(ILogger logger, object? drainSeconds);

    [LoggerMessage(4014, LogLevel.Information, "Stopping every model ({InFlight} requests still in flight)")]
    public static partial void StoppingAll(ILogger logger, object? inFlight);

    [LoggerMessage(4015, LogLevel.Information, "Every model is stopped")]
    public static partial void ShutDown(ILogger logger);

    [LoggerMessage(4016, LogLevel.Information, "Preloaded {ModelId}")]
    public static partial void Preloaded(ILogger logger, string modelId);

    [LoggerMessage(4017, LogLevel.Warning, "Preloading {ModelId} failed: {Reason}")]
    public static partial void PreloadFailed(ILogger logger, string modelId, string reason);

    [LoggerMessage(4018, LogLevel.Warning, "Ignored a release for {ModelId} that matches no granted request")]
    public static partial void StrayRelease(ILogger logger, string modelId);

    [LoggerMessage(4019, LogLevel.Warning, "The wait observer of a request for {ModelId} threw")]
    public static partial void ObserverFault(ILogger logger, string modelId, Exception exception);

    [LoggerMessage(4020, LogLevel.Critical, "Router loop failed handling {Kind}; state may be inconsistent")]
    public static partial void LoopFault(ILogger logger, object? kind, Exception exception);
}
