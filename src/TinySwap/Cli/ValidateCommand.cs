using TinySwap.Config;

namespace TinySwap.Cli;

/// <summary>`tinyswap validate`: load the config, print the summary (exit 0) or every error (exit 1).</summary>
internal static class ValidateCommand
{
    public static int Run(CliOptions options, TextWriter output, TextWriter errors)
    {
        var result = ConfigLoader.Load(options.ConfigPath);
        if (!result.IsValid)
        {
            ConfigReport.WriteErrors(errors, result);
            return ExitCodes.ConfigInvalid;
        }
        ConfigReport.WriteSummary(output, result.Config!, options.ConfigPath);
        return ExitCodes.Ok;
    }
}
