using Microsoft.Extensions.Logging;
using TinySwap.Observability;

namespace TinySwap.Api.Logs;

/// <summary>One of tinyswap's own log events as a line of the HTTP log: <c>2026-01-31T12:00:00.123Z info router: message</c>.</summary>
internal static class OwnLogLine
{
    public static string Format(DateTime utcNow, LogLevel level, string category, string message, Exception? exception)
    {
        var text = exception is null ? message : message + " " + exception.GetType().Name + ": " + exception.Message;
        // One event per line, as on stdout: a reader splitting on '\n' must never see half an event.
        if (text.Contains('\n'))
            text = text.Replace("\r", "", StringComparison.Ordinal).Replace("\n", " | ", StringComparison.Ordinal);
        Span<char> time = stackalloc char[LogTimestamp.Length];
        LogTimestamp.Write(time, utcNow);
        return $"{time} {Word(level)} {category}: {text}";
    }

    private static string Word(LogLevel level) => level switch
    {
        LogLevel.Trace => "trace",
        LogLevel.Debug => "debug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "error",
        _ => "crit",
    };
}
