using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace TinySwap.Observability;

/// <summary>
/// One provider behind one minimum level: all we used of LoggerFactory, whose filter rules, scopes and Activity
/// tracking weigh ~80 KB in the binary. The level can change while loggers exist (a config reload's `logLevel`).
/// Disposing it disposes the access log and the console provider, which flush their queues, so the last lines before exit are not lost.
/// </summary>
internal sealed class MinimumLevelLoggerFactory(ConsoleLoggerProvider provider, LogLevel minimumLevel) : ILoggerFactory
{
    private volatile int _minimumLevel = (int)minimumLevel;

    public LogLevel MinimumLevel
    {
        get => (LogLevel)_minimumLevel;
        set => _minimumLevel = (int)value;
    }

    /// <summary>
    /// Also told every line that passes the level: (level, category, message, exception). The logs over HTTP keep them.
    /// Called on the logging thread; must not block.
    /// </summary>
    public LogTap? Tap { get; set; }

    /// <summary>The per-request access line's own cheap path to the same stdout and tap (see <see cref="Observability.AccessLog"/>).</summary>
    public AccessLog? AccessLog { get; set; }

    public ILogger CreateLogger(string categoryName) => new MinimumLevelLogger(provider.CreateLogger(categoryName), this, categoryName);
    public void AddProvider(ILoggerProvider other) => throw new NotSupportedException("tinyswap logs to the console only");
    public void Dispose()
    {
        AccessLog?.Dispose();
        provider.Dispose();
    }
}

/// <summary>
/// Where a log event goes besides stdout. The message is a span: the access log hands over its line where it formatted
/// it, so a request costs no string (valid only during the call).
/// </summary>
internal delegate void LogTap(LogLevel level, string category, ReadOnlySpan<char> message, Exception? exception);

/// <summary>The console logger behind the factory's minimum level, read on every call so a reload's new level applies at once.</summary>
internal sealed class MinimumLevelLogger(ILogger console, MinimumLevelLoggerFactory factory, string category) : ILogger
{
    public bool IsEnabled(LogLevel logLevel) => logLevel >= factory.MinimumLevel && logLevel != LogLevel.None;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel))
            return;
        console.Log(logLevel, eventId, state, exception, formatter);
        factory.Tap?.Invoke(logLevel, category, formatter(state, exception), exception);
    }

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
}
