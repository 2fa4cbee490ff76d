using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Options;

namespace TinySwap.Observability;

/// <summary>
/// The logger factory every area logs through: one line per event on stdout with a UTC timestamp, colour only
/// when stdout is a terminal (under systemd it goes to journald, where escape codes are noise). Built by hand rather
/// than through LoggerFactory.Create: skipping the dependency-injection container keeps ~0.5 MB out of the binary.
/// </summary>
internal static class LoggingSetup
{
    public static ILoggerFactory Create(LogLevel minimumLevel)
    {
        var consoleOptions = new ConsoleLoggerOptions
        {
            FormatterName = OneLineConsoleFormatter.FormatterName,
            LogToStandardErrorThreshold = LogLevel.None,
        };
        var provider = new ConsoleLoggerProvider(
            new FixedOptions<ConsoleLoggerOptions>(consoleOptions),
            [new OneLineConsoleFormatter(colors: !Console.IsOutputRedirected)]);
        return new MinimumLevelLoggerFactory(provider, minimumLevel);
    }

    /// <summary>
    /// One provider behind one minimum level: all we used of LoggerFactory, whose filter rules, scopes and Activity
    /// tracking weigh ~80 KB in the binary. Disposing it disposes the console provider, which flushes its queue, so
    /// the last lines before exit are not lost.
    /// </summary>
    private sealed class MinimumLevelLoggerFactory(ConsoleLoggerProvider provider, LogLevel minimumLevel) : ILoggerFactory
    {
        public ILogger CreateLogger(string categoryName) => new MinimumLevelLogger(provider.CreateLogger(categoryName), minimumLevel);
        public void AddProvider(ILoggerProvider other) => throw new NotSupportedException("tinyswap logs to the console only");
        public void Dispose() => provider.Dispose();
    }

    /// <summary>The console logger behind the minimum level.</summary>
    private sealed class MinimumLevelLogger(ILogger console, LogLevel minimumLevel) : ILogger
    {
        public bool IsEnabled(LogLevel logLevel) => logLevel >= minimumLevel && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
                console.Log(logLevel, eventId, state, exception, formatter);
        }

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
    }

    /// <summary>Options that never change (a reload builds a new factory).</summary>
    private sealed class FixedOptions<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] T>(T value) : IOptionsMonitor<T>
    {
        public T CurrentValue => value;
        public T Get(string? name) => value;
        public IDisposable? OnChange(Action<T, string?> listener) => null;
    }
}
