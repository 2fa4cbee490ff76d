using Microsoft.Extensions.Logging;

namespace TinySwap.Proxy.Forwarding;

/// <summary>Log events of the forwarder (EventIds 3500-3599 of the Proxy range).</summary>
internal static partial class ForwarderLog
{
    // Value-typed parameters are object?: every [LoggerMessage] signature holding a value type is compiled once per
    // console formatter (~4 KB of binary each), while boxing on these rare events costs nothing. Hot-path messages
    // (ProxyLog) keep their types so a request allocates nothing.
    [LoggerMessage(3500, LogLevel.Warning, "Forwarding to {Upstream} failed ({Error}, status {Status}): {Detail}")]
    public static partial void Failed(ILogger logger, Uri upstream, object? error, object? status, string? detail);

    [LoggerMessage(3501, LogLevel.Debug, "Retrying on a fresh connection to {Upstream}: the reused one was closed before answering")]
    public static partial void Retrying(ILogger logger, Uri upstream);

    [LoggerMessage(3502, LogLevel.Debug, "Client went away while forwarding to {Upstream} ({Error})")]
    public static partial void ClientGone(ILogger logger, Uri upstream, object? error);

    [LoggerMessage(3503, LogLevel.Debug, "WebSocket tunnel to {Upstream} ended ({Ending}): {Up} bytes up, {Down} bytes down")]
    public static partial void TunnelEnded(ILogger logger, Uri upstream, object? ending, object? up, object? down);
}
