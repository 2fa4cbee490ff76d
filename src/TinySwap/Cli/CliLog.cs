using Microsoft.Extensions.Logging;

namespace TinySwap.Cli;

/// <summary>Log events of the process itself (EventIds 1-999).</summary>
internal static partial class CliLog
{
    // Value-typed parameters are object?: every [LoggerMessage] signature holding a value type is compiled once per
    // console formatter (~4 KB of binary each), while boxing on these rare events costs nothing. Hot-path messages
    // (ProxyLog) keep their types so a request allocates nothing.
    [LoggerMessage(EventId = 1, Level = LogLevel.Information,
        Message = "tinyswap {Version} listening on {Listen}: {ModelCount} models, policy {Policy}, {WarningCount} config warnings, config {ConfigPath}")]
    public static partial void Starting(ILogger logger, string version, string listen, object? modelCount, string policy, object? warningCount, string configPath);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "config: {Warning}")]
    public static partial void ConfigWarning(ILogger logger, string warning);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "received {Signal}, shutting down (send it again to exit at once)")]
    public static partial void ShuttingDown(ILogger logger, string signal);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "stopped")]
    public static partial void Stopped(ILogger logger);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "reload requested ({Reason}): reading {ConfigPath}")]
    public static partial void ReloadRequested(ILogger logger, string reason, string configPath);

    [LoggerMessage(EventId = 6, Level = LogLevel.Error, Message = "reload rejected, keeping the running config: {Error}")]
    public static partial void ReloadError(ILogger logger, string error);

    [LoggerMessage(EventId = 7, Level = LogLevel.Information, Message = "reloaded config: {ModelCount} models")]
    public static partial void Reloaded(ILogger logger, object? modelCount);

    [LoggerMessage(EventId = 8, Level = LogLevel.Critical, Message = "cannot serve: {Reason}")]
    public static partial void StartFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 9, Level = LogLevel.Information, Message = "reload: listening on {Listen} (old listeners closed; open connections finish normally)")]
    public static partial void ListenReloaded(ILogger logger, string listen);

    [LoggerMessage(EventId = 10, Level = LogLevel.Error, Message = "reload: listen not changed, still on {Listen}: {Error}")]
    public static partial void ListenNotReloaded(ILogger logger, string listen, string error);

    [LoggerMessage(EventId = 11, Level = LogLevel.Information, Message = "reload: new limits apply to connections accepted from now on")]
    public static partial void LimitsReloaded(ILogger logger);

    [LoggerMessage(EventId = 12, Level = LogLevel.Information, Message = "reload: log level is now {Level}")]
    public static partial void LogLevelReloaded(ILogger logger, string level);

    [LoggerMessage(EventId = 13, Level = LogLevel.Warning, Message = "reload: logLevel {Level} in the config is not applied: --log-level {CommandLine} was given and wins")]
    public static partial void LogLevelPinned(ILogger logger, string level, string commandLine);
}
