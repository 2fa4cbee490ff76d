using System.Globalization;
using Microsoft.Extensions.Logging;

namespace TinySwap.Observability;

/// <summary>
/// The one log line per request (<c>proxy[3003] POST /v1/chat/completions model 200 284 B 0.4 ms</c>), written the
/// way <see cref="OneLineConsoleFormatter"/> writes every other line, but without the console logger's cost: the line
/// is formatted straight into a shared batch (no string, no boxing), and one writer thread sends whole batches to
/// stdout and to the <see cref="MinimumLevelLoggerFactory.Tap"/>. Through the console logger the line cost about a
/// fifth of a proxied request's CPU: three strings, a queue lock, and a thread woken (futex) and a write(2) per request.
/// </summary>
internal sealed class AccessLog : IDisposable
{
    public const string Category = "proxy";
    public const int EventId = 3003;

    // Longest fixed part of a line: time or journald prefix, coloured level, "proxy[3003] ", the numbers and units.
    private const int FixedChars = 128;

    private readonly Func<LogLevel> _minimumLevel;
    private readonly Func<LogTap?> _tap;
    private readonly bool _colors;
    private readonly bool _journald;
    private readonly LineBatchWriter _writer;

    /// <param name="minimumLevel">Read per line, so a reload's new level applies at once.</param>
    /// <param name="tap">Where each line's message also goes (the log book), called on the writer thread; see <see cref="MinimumLevelLoggerFactory.Tap"/>.</param>
    /// <param name="output">stdout as a stream, written under <paramref name="outputLock"/> (see <see cref="LineBatchWriter"/>).</param>
    public AccessLog(Func<LogLevel> minimumLevel, Func<LogTap?> tap, Stream output, object outputLock,
        bool colors, bool journald, TimeSpan coalesce)
    {
        _minimumLevel = minimumLevel;
        _tap = tap;
        _colors = colors;
        _journald = journald;
        _writer = new LineBatchWriter(output, outputLock, coalesce, TapLine);
    }

    public bool IsEnabled(LogLevel level) => level >= _minimumLevel() && level != LogLevel.None;

    /// <summary>
    /// Appends one request's line. <paramref name="method"/> and <paramref name="path"/> are the request's own bytes (the
    /// query is never logged: it may carry a key); anything outside printable ASCII shows as '?'.
    /// </summary>
    public void Write(LogLevel level, ReadOnlySpan<byte> method, ReadOnlySpan<byte> path, string model, int status, long bytes,
        double elapsedMs)
    {
        if (!IsEnabled(level))
            return;
        var line = _writer.BeginLine(FixedChars + method.Length + path.Length + model.Length);
        int length = 0, messageStart = 0;
        try
        {
            if (!line.IsEmpty)
                length = Format(line, level, DateTime.UtcNow, method, path, model, status, bytes, elapsedMs, out messageStart);
        }
        finally
        {
            _writer.EndLine(length, messageStart, level);
        }
    }

    private int Format(Span<char> line, LogLevel level, DateTime now, ReadOnlySpan<byte> method, ReadOnlySpan<byte> path, string model,
        int status, long bytes, double elapsedMs, out int messageStart)
    {
        var at = 0;
        if (_journald)
            at += Append(line, OneLineConsoleFormatter.JournalPriority(level));
        else
        {
            at += LogTimestamp.Write(line, now);
            line[at++] = ' ';
        }
        var (label, color) = OneLineConsoleFormatter.Label(level);
        if (_colors)
            at += Append(line[at..], color);
        at += Append(line[at..], label);
        if (_colors)
            at += Append(line[at..], "\u001b[0m");
        at += Append(line[at..], Prefix);
        messageStart = at;
        at += AppendAscii(line[at..], method);
        line[at++] = ' ';
        at += AppendAscii(line[at..], path);
        line[at++] = ' ';
        at += Append(line[at..], model);
        line[at++] = ' ';
        status.TryFormat(line[at..], out var written, provider: CultureInfo.InvariantCulture);
        at += written;
        line[at++] = ' ';
        bytes.TryFormat(line[at..], out written, provider: CultureInfo.InvariantCulture);
        at += written;
        at += Append(line[at..], " B ");
        // One decimal, none when it is 0 (what "0.#" gives), without the custom-format machinery (~0.5% of a request).
        var tenths = (long)(elapsedMs * 10 + 0.5);
        (tenths / 10).TryFormat(line[at..], out written, provider: CultureInfo.InvariantCulture);
        at += written;
        if (tenths % 10 != 0)
        {
            line[at++] = '.';
            line[at++] = (char)('0' + tenths % 10);
        }
        at += Append(line[at..], " ms\n");
        return at;
    }

    private static readonly string Prefix = $": {Category}[{EventId}] ";

    /// <summary>The line's message (no prefix, no newline) to the log book, on the writer thread.</summary>
    private void TapLine(LogLevel level, ReadOnlySpan<char> message) =>
        _tap()?.Invoke(level, Category, message, null);

    private static int Append(Span<char> destination, string text)
    {
        text.CopyTo(destination);
        return text.Length;
    }

    private static int AppendAscii(Span<char> destination, ReadOnlySpan<byte> text)
    {
        for (var i = 0; i < text.Length; i++)
            destination[i] = text[i] is >= 0x20 and < 0x7F ? (char)text[i] : '?';
        return text.Length;
    }

    /// <summary>Writes what is batched and stops the writer thread (the last lines before exit are not lost).</summary>
    public void Dispose() => _writer.Dispose();
}
