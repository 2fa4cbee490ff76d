using System.Net;
using Microsoft.Extensions.Logging;

namespace TinySwap.Http;

/// <summary>Log events of the HTTP engine (EventIds 2000-2999).</summary>
internal static partial class HttpLog
{
    // Value-typed parameters are object?: every [LoggerMessage] signature holding a value type is compiled once per
    // console formatter (~4 KB of binary each), while boxing on these rare events costs nothing. Hot-path messages
    // (ProxyLog) keep their types so a request allocates nothing.
    [LoggerMessage(2000, LogLevel.Information, "Listening on {EndPoint}")]
    public static partial void Listening(ILogger logger, EndPoint endPoint);

    [LoggerMessage(2001, LogLevel.Debug, "Request from {Remote} rejected: {Reason} ({Status})")]
    public static partial void RequestRejected(ILogger logger, EndPoint? remote, object? reason, object? status);

    [LoggerMessage(2002, LogLevel.Error, "Request handler failed")]
    public static partial void HandlerFailed(ILogger logger, Exception exception);

    /// <summary>Rate-limited by the caller: at most one line a second, with the refusals since the previous line.</summary>
    [LoggerMessage(2003, LogLevel.Warning, "Connection limit {Limit} reached; answered 503 to {Refused} connection(s) since the last warning")]
    public static partial void ConnectionLimitReached(ILogger logger, object? limit, object? refused);

    [LoggerMessage(2004, LogLevel.Error, "Accept loop on {EndPoint} failed")]
    public static partial void AcceptFailed(ILogger logger, EndPoint endPoint, Exception exception);

    [LoggerMessage(2005, LogLevel.Debug, "Connection from {Remote} ended unexpectedly")]
    public static partial void ConnectionFailed(ILogger logger, EndPoint? remote, Exception exception);

    [LoggerMessage(2007, LogLevel.Warning, "Connection from {Remote} dropped: {Reason}")]
    public static partial void ConnectionNotWatched(ILogger logger, EndPoint? remote, string reason);

    [LoggerMessage(2006, LogLevel.Error, "{Count} connection(s) still running after being aborted; stopping without them")]
    public static partial void ConnectionsOutlivedStop(ILogger logger, object? count);
}
