using TinySwap.Config;

namespace TinySwap.Cli;

/// <summary>
/// Parses `tinyswap [validate] [flags]`. Flags take `--flag value` or `--flag=value`; llama-swap's single-dash
/// spellings (`-config`, `-listen`, `-watch-config`, `-version`) are accepted so its systemd units keep working.
/// </summary>
internal static class CommandLineParser
{
    private static readonly string[] ServeFlags = ["--config", "--listen", "--log-level", "--watch-config", "--version", "--help"];
    private static readonly string[] ValidateFlags = ["--config", "--help"];

    public static CliParseResult Parse(IReadOnlyList<string> args)
    {
        var options = new CliOptions();
        var start = 0;
        if (args.Count > 0 && args[0] == "validate")
        {
            options = options with { Command = CliCommand.Validate };
            start = 1;
        }
        var allowed = options.Command == CliCommand.Validate ? ValidateFlags : ServeFlags;

        for (var i = start; i < args.Count; i++)
        {
            var (flag, inlineValue) = Split(args[i]);
            if (flag is null)
                return Fail($"unexpected argument '{args[i]}'" + (i == 0 ? KeySuggestion.Hint(args[i], ["validate"]) : ""));
            if (!allowed.Contains(flag))
            {
                var where = options.Command == CliCommand.Validate && ServeFlags.Contains(flag) ? " for validate" : "";
                return Fail($"unknown option '{args[i]}'{where}{KeySuggestion.Hint(flag, allowed)}");
            }
            switch (flag)
            {
                case "--help":
                    return new(options with { Command = CliCommand.Help }, null);
                case "--version":
                    return new(options with { Command = CliCommand.Version }, null);
                case "--watch-config":
                    if (inlineValue is not null)
                        return Fail("--watch-config takes no value");
                    options = options with { WatchConfig = true };
                    continue;
            }

            var value = inlineValue;
            if (value is null)
            {
                if (i + 1 >= args.Count)
                    return Fail($"{flag} needs a value");
                value = args[++i];
            }
            switch (flag)
            {
                case "--config":
                    if (value.Length == 0)
                        return Fail("--config needs a file path");
                    options = options with { ConfigPath = value };
                    break;
                case "--listen":
                    if (!ListenAddress.TryParse(value, out var listen, out var error))
                        return Fail("--listen: " + error);
                    options = options with { Listen = options.Listen.Add(listen.ToString()) };
                    break;
                case "--log-level":
                    if (!LogLevels.TryParse(value, out var level))
                        return Fail($"--log-level: '{value}' is not one of {string.Join(", ", LogLevels.Names)}");
                    options = options with { LogLevel = level };
                    break;
            }
        }
        return new(options, null);
    }

    /// <summary>("--flag", value after '=' or null); (null, null) for a non-flag argument. Single-dash long flags count as double-dash.</summary>
    private static (string? Flag, string? Value) Split(string arg)
    {
        if (arg is "-h")
            return ("--help", null);
        if (arg.Length < 2 || arg[0] != '-')
            return (null, null);
        var flag = arg.StartsWith("--", StringComparison.Ordinal) ? arg : "-" + arg;
        var equals = flag.IndexOf('=');
        return equals < 0 ? (flag, null) : (flag[..equals], flag[(equals + 1)..]);
    }

    private static CliParseResult Fail(string message) => new(null, message);
}
