using Microsoft.Extensions.Logging;

namespace TinySwap.Cli;

internal static partial class CliLog
{
    [LoggerMessage(EventId = 60, Level = LogLevel.Information, Message = "active profile is now {Profile}")]
    public static partial void ProfileChanged(ILogger logger, string profile);
}
