using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace TinySwap.Observability;

/// <summary>
/// The logger factory every area logs through: one line per event on stdout with a UTC timestamp, colour only
/// when stdout is a terminal (under systemd it goes to journald, where escape codes are noise).
/// </summary>
internal static class LoggingSetup
{
    public static ILoggerFactory Create(LogLevel minimumLevel) =>
        LoggerFactory.Create(builder => builder
            .SetMinimumLevel(minimumLevel)
            .AddSimpleConsole(options =>
            {
                options.SingleLine = true;
                options.IncludeScopes = false;
                options.UseUtcTimestamp = true;
                options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
                options.ColorBehavior = Console.IsOutputRedirected ? LoggerColorBehavior.Disabled : LoggerColorBehavior.Enabled;
            }));
}
