using Microsoft.Extensions.Logging;

namespace TinySwap.Config;

/// <summary>The level names of `logLevel` and `--log-level`: llama-swap's four, plus trace for our wire-level logs.</summary>
internal static class LogLevels
{
    public static readonly string[] Names = ["trace", "debug", "info", "warn", "error"];

    public static bool TryParse(string text, out LogLevel level)
    {
        level = text switch
        {
            "trace" => LogLevel.Trace,
            "debug" => LogLevel.Debug,
            "info" => LogLevel.Information,
            "warn" => LogLevel.Warning,
            "error" => LogLevel.Error,
            _ => LogLevel.None,
        };
        return level != LogLevel.None;
    }

    public static string Name(LogLevel level) => level switch
    {
        LogLevel.Trace => "trace",
        LogLevel.Debug => "debug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        _ => "error",
    };
}
