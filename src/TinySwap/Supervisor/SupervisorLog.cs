using Microsoft.Extensions.Logging;

namespace TinySwap.Supervisor;

/// <summary>Supervisor log events (EventIds 5000-5099).</summary>
internal static partial class SupervisorLog
{
    // Value-typed parameters are object?: every [LoggerMessage] signature holding a value type is compiled once per
    // console formatter (~4 KB of binary each), while boxing on these rare events costs nothing. Hot-path messages
    // (ProxyLog) keep their types so a request allocates nothing.
    [LoggerMessage(5000, LogLevel.Information, "[{Model}] started pid {Pid}: {Command}")]
    public static partial void Spawned(ILogger logger, string model, object? pid, string command);

    [LoggerMessage(5001, LogLevel.Information, "[{Model}] ready in {Milliseconds:0} ms")]
    public static partial void Ready(ILogger logger, string model, object? milliseconds);

    [LoggerMessage(5002, LogLevel.Warning, "[{Model}] start failed: {Reason}")]
    public static partial void StartFailed(ILogger logger, string model, string reason);

    [LoggerMessage(5003, LogLevel.Debug, "[{Model}] {Line}")]
    public static partial void OutputLine(ILogger logger, string model, string line);

    [LoggerMessage(5004, LogLevel.Warning, "[{Model}] pid {Pid} died while serving ({Status}); last output:\n{LastOutput}")]
    public static partial void Crashed(ILogger logger, string model, object? pid, string status, string lastOutput);

    [LoggerMessage(5005, LogLevel.Information, "[{Model}] stopping pid {Pid} ({Reason})")]
    public static partial void Stopping(ILogger logger, string model, object? pid, object? reason);

    [LoggerMessage(5006, LogLevel.Information, "[{Model}] stopped pid {Pid} in {Milliseconds:0} ms ({Status})")]
    public static partial void Stopped(ILogger logger, string model, object? pid, object? milliseconds, string status);

    [LoggerMessage(5007, LogLevel.Warning, "[{Model}] pid {Pid} still running {Grace} after the stop signal: SIGKILL to its group")]
    public static partial void StopEscalated(ILogger logger, string model, object? pid, object? grace);

    [LoggerMessage(5008, LogLevel.Error, "[{Model}] pid {Pid} has not exited {Wait} after SIGKILL (uninterruptible sleep in a driver?); giving up waiting, it is still watched and will be reaped")]
    public static partial void StopStuck(ILogger logger, string model, object? pid, object? wait);

    [LoggerMessage(5009, LogLevel.Error, "[{Model}] unexpected error while stopping: {Reason}")]
    public static partial void StopFailed(ILogger logger, string model, string reason);

    [LoggerMessage(5010, LogLevel.Debug, "[{Model}] hook {Hook} started pid {Pid}")]
    public static partial void HookStarted(ILogger logger, string model, string hook, object? pid);

    [LoggerMessage(5011, LogLevel.Information, "[{Model}] hook {Hook} succeeded in {Milliseconds:0} ms")]
    public static partial void HookSucceeded(ILogger logger, string model, string hook, object? milliseconds);

    [LoggerMessage(5012, LogLevel.Warning, "[{Model}] hook {Hook} failed after {Milliseconds:0} ms: {Reason}")]
    public static partial void HookFailed(ILogger logger, string model, string hook, object? milliseconds, string reason);

    [LoggerMessage(5013, LogLevel.Warning, "[{Model}] afterHealthy failed; the model becomes ready anyway")]
    public static partial void AfterHealthyFailed(ILogger logger, string model);

    [LoggerMessage(5014, LogLevel.Warning, "[{Model}] alive hook failed: marking the model failed")]
    public static partial void AliveFailed(ILogger logger, string model);

    [LoggerMessage(5015, LogLevel.Warning, "No exec shim (running as '{ProcessPath}'): children are spawned directly and will NOT die if tinyswap is killed with SIGKILL")]
    public static partial void NoLauncher(ILogger logger, string? processPath);

    [LoggerMessage(5030, LogLevel.Information, "[{Model}] slot {Slot} {Action}: {Result}")]
    public static partial void SlotAction(ILogger logger, string model, object? slot, string action, string result);

    [LoggerMessage(5016, LogLevel.Debug, "[{Model}] health {Url}: {Result} in {Milliseconds:0.0} ms")]
    public static partial void Probe(ILogger logger, string model, Uri url, object? result, object? milliseconds);
}
