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
        var factory = new LoggerFactory([], new FixedOptions<LoggerFilterOptions>(new LoggerFilterOptions { MinLevel = minimumLevel }));
        // Added, not passed to the constructor: the factory disposes providers added this way, and disposing the
        // console provider is what flushes its queue, so the last lines before exit are not lost.
        factory.AddProvider(provider);
        return factory;
    }

    /// <summary>Options that never change (a reload builds a new factory).</summary>
    private sealed class FixedOptions<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] T>(T value) : IOptionsMonitor<T>
    {
        public T CurrentValue => value;
        public T Get(string? name) => value;
        public IDisposable? OnChange(Action<T, string?> listener) => null;
    }
}
