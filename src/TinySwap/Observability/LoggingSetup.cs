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
    public static MinimumLevelLoggerFactory Create(LogLevel minimumLevel)
    {
        var consoleOptions = new ConsoleLoggerOptions
        {
            FormatterName = OneLineConsoleFormatter.FormatterName,
            LogToStandardErrorThreshold = LogLevel.None,
        };
        var colors = !Console.IsOutputRedirected;
        var journald = IsJournalStream();
        var provider = new ConsoleLoggerProvider(
            new FixedOptions<ConsoleLoggerOptions>(consoleOptions), [new OneLineConsoleFormatter(colors, journald)]);
        var factory = new MinimumLevelLoggerFactory(provider, minimumLevel);
        // The console logger writes through Console.Out, whose synchronized methods lock the writer itself: holding that
        // lock around our own writes keeps the two from interleaving inside a line.
        factory.AccessLog = new AccessLog(() => factory.MinimumLevel, () => factory.Tap, Console.OpenStandardOutput(), Console.Out,
            colors, journald, AccessLogCoalesce);
        return factory;
    }

    /// <summary>
    /// How long the access log's writer lets lines gather before one write: a line is that much late on stdout, and a
    /// busy proxy pays one wake-up and one write(2) per this interval instead of per request.
    /// </summary>
    public static readonly TimeSpan AccessLogCoalesce = TimeSpan.FromMilliseconds(5);

    /// <summary>
    /// systemd sets JOURNAL_STREAM when it connects stdout to the journal (systemd.exec(5)); the lines then carry
    /// syslog priority prefixes instead of timestamps.
    /// </summary>
    private static bool IsJournalStream() => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("JOURNAL_STREAM"));

    /// <summary>Console options that never change: the one setting a reload changes, the level, lives in the factory.</summary>
    private sealed class FixedOptions<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] T>(T value) : IOptionsMonitor<T>
    {
        public T CurrentValue => value;
        public T Get(string? name) => value;
        public IDisposable? OnChange(Action<T, string?> listener) => null;
    }
}
