using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace TinySwap.Observability;

/// <summary>
/// `2026-01-31T12:00:00.123Z info: Area[1000] message` — one line per event, exception included (its line breaks
/// folded), level coloured only on a terminal. Under journald the line starts with its syslog priority instead of a
/// time (`&lt;4&gt;warn: …`): journald reads the prefix (sd-daemon(3)), so `journalctl -p warning` filters, and it stamps the
/// time itself.
/// </summary>
internal sealed class OneLineConsoleFormatter(bool colors, bool journald = false) : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "tinyswap";

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        if (string.IsNullOrEmpty(message) && logEntry.Exception is null)
            return;
        if (journald)
            textWriter.Write(JournalPriority(logEntry.LogLevel));
        else
        {
            Span<char> time = stackalloc char[LogTimestamp.Length + 1];
            LogTimestamp.Write(time, DateTime.UtcNow);
            time[^1] = ' ';
            textWriter.Write(time);
        }
        var (label, color) = Label(logEntry.LogLevel);
        if (colors)
            textWriter.Write(color);
        textWriter.Write(label);
        if (colors)
            textWriter.Write("\u001b[0m");
        textWriter.Write(": ");
        textWriter.Write(logEntry.Category);
        textWriter.Write('[');
        textWriter.Write(logEntry.EventId.Id);
        textWriter.Write("] ");
        textWriter.Write(OneLine(message));
        if (logEntry.Exception is { } exception)
        {
            textWriter.Write(' ');
            textWriter.Write(OneLine(exception.ToString()));
        }
        textWriter.Write('\n');
    }

    // journald and grep see one event per line; stack frames stay readable separated by " | ".
    private static string OneLine(string text) =>
        text.Contains('\n') ? text.Replace("\r", "", StringComparison.Ordinal).Replace("\n", " | ", StringComparison.Ordinal) : text;

    /// <summary>syslog priorities (RFC 5424 §6.2.1): crit 2, err 3, warning 4, info 6, debug 7.</summary>
    internal static string JournalPriority(LogLevel level) => level switch
    {
        LogLevel.Trace or LogLevel.Debug => "<7>",
        LogLevel.Information => "<6>",
        LogLevel.Warning => "<4>",
        LogLevel.Error => "<3>",
        _ => "<2>",
    };

    internal static (string Label, string Color) Label(LogLevel level) => level switch
    {
        LogLevel.Trace => ("trce", "\u001b[90m"),
        LogLevel.Debug => ("dbug", "\u001b[90m"),
        LogLevel.Information => ("info", "\u001b[32m"),
        LogLevel.Warning => ("warn", "\u001b[33m"),
        LogLevel.Error => ("error", "\u001b[31m"),
        _ => ("crit", "\u001b[1;31m"),
    };
}
