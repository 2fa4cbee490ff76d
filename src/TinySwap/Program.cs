using TinySwap.Cli;

namespace TinySwap;

internal static class Program
{
    public static int Main(string[] args)
    {
        // Hidden child-process modes (the exec shim, the watchdog) run before anything is initialised.
        if (Supervisor.ExecShim.TryRun(args, out var shimExitCode))
            return shimExitCode;

        var parsed = CommandLineParser.Parse(args);
        if (parsed.Options is not { } options)
        {
            Console.Error.WriteLine("tinyswap: " + parsed.Error);
            Console.Error.WriteLine("Run 'tinyswap --help' for usage.");
            return ExitCodes.Usage;
        }
        // --version and --help must stay cheap: no YAML, no logging stack.
        switch (options.Command)
        {
            case CliCommand.Version:
                Console.Out.WriteLine(Usage.VersionLine());
                return ExitCodes.Ok;
            case CliCommand.Help:
                Console.Out.WriteLine(Usage.Text);
                return ExitCodes.Ok;
            case CliCommand.Validate:
                return ValidateCommand.Run(options, Console.Out, Console.Error);
            default:
                return ServeCommand.Run(options);
        }
    }
}
