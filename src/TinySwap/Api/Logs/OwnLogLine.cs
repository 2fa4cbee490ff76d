using Microsoft.Extensions.Logging;
using TinySwap.Observability;

namespace TinySwap.Api.Logs;

/// <summary>One of tinyswap's own log events as a line of the HTTP log: <c>2026-01-31T12:00:00.123Z info router: message</c>.</summary>
internal static class OwnLogLine
{
    /// <summary>The most characters <see cref="Write"/> needs (the longest level word is five).</summary>
    public static int MaxLength(string category, int messageLength) => LogTimestamp.Length + 1 + 5 + 1 + category.Length + 2 + messageLength;

    /// <summary>Whether <see cref="Write"/> can take the event as it is: one line and no exception to append.</summary>
    public static bool IsPlain(ReadOnlySpan<char> message, Exception? exception) => exception is null && !message.ContainsAny('\r', '\n');

    public static string Format(DateTime utcNow, LogLevel level, string category, string message, Exception? exception)
    {
        var text = exception is null ? message : message + " " + exception.GetType().Name + ": " + exception.Message;
        // One event per line, as on stdout: a reader splitting on '\n' must never see half an event.
        if (text.Contains('\n'))
            text = text.Replace("\r", "", StringComparison.Ordinal).Replace("\n", " | ", StringComparison.Ordinal);
        var line = new char[MaxLength(category, text.Length)];
        return new string(line, 0, Write(line, utcNow, level, category, text));
    }

    /// <summary>A plain event's line (see <see cref="IsPlain"/>) into <paramref name="destination"/>, without a string; returns its length.</summary>
    public static int Write(Span<char> destination, DateTime utcNow, LogLevel level, string category, ReadOnlySpan<char> message)
    {
        var at = LogTimestamp.Write(destination, utcNow);
        destination[at++] = ' ';
        var word = Word(level);
        word.CopyTo(destination[at..]);
        at += word.Length;
        destination[at++] = ' ';
        category.CopyTo(destination[at..]);
        at += category.Length;
        destination[at++] = ':';
        destination[at++] = ' ';
        message.CopyTo(destination[at..]);
        return at + message.Length;
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
