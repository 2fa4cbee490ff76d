using Microsoft.Extensions.Logging;
using TinySwap.Config;
using TinySwap.Observability;

namespace TinySwap.Cli;

/// <summary>
/// `tinyswap` without a subcommand: load and validate the config (errors → stderr, exit 1, nothing started), set up
/// logging, serve until SIGTERM/SIGINT, exit 0. This is the composition root: the one place where the parts meet.
/// </summary>
internal static class ServeCommand
{
    public static int Run(CliOptions options)
    {
        var result = ConfigLoader.Load(options.ConfigPath);
        if (!result.IsValid)
        {
            ConfigReport.WriteErrors(Console.Error, result);
            return ExitCodes.ConfigInvalid;
        }
        var config = ApplyCommandLine(result.Config!, options);

        using var loggerFactory = LoggingSetup.Create(options.LogLevel ?? config.LogLevel);
        var logger = loggerFactory.CreateLogger("tinyswap");
        // Signals first: a SIGTERM right after the startup line must find our handler, not the default action.
        using var signals = new ShutdownSignal(onReload: () => Reload(options, logger, "SIGHUP"));
        using var watcher = options.WatchConfig ? new ConfigFileWatcher(options.ConfigPath, () => Reload(options, logger, "file changed")) : null;
        CliLog.Starting(logger, BuildVersion.Value, string.Join(", ", config.Listen), config.Models.Length,
            config.Policy.ToString(), config.Warnings.Length, config.SourcePath);
        foreach (var warning in config.Warnings)
            CliLog.ConfigWarning(logger, warning);

        // ---- composition point --------------------------------------------------------------------------
        // Start here, in this order, with `config` and `loggerFactory`:
        //   1. the router loop (Router/) with the policy config.Policy selects and the supervisor's process factory;
        //   2. the HTTP listener(s) on config.Listen (Http/), forwarding through the router's IModelGate (Proxy/);
        //   3. hooks.on_startup.preload (config.Preload), without blocking the listener;
        //   4. config reload: Reload() below runs on SIGHUP and, with --watch-config, on file changes; hand its
        //      result to the router.
        // If the listener cannot bind, log it and return ExitCodes.StartupFailed.
        // On the stop signal: stop accepting, drain up to config.DrainTimeout, stop every model, then return.
        // -----------------------------------------------------------------------------------------------------

        var signal = signals.Stopping.GetAwaiter().GetResult();
        CliLog.ShuttingDown(logger, ShutdownSignal.Name(signal));
        CliLog.Stopped(logger);
        return ExitCodes.Ok;
    }

    /// <summary>--listen replaces the config's `listen`.</summary>
    public static TinySwapConfig ApplyCommandLine(TinySwapConfig config, CliOptions options) =>
        options.Listen.IsEmpty ? config : config with { Listen = options.Listen };

    /// <summary>Re-reads the config; a broken file is logged error by error and the running config stays.</summary>
    private static TinySwapConfig? Reload(CliOptions options, ILogger logger, string reason)
    {
        CliLog.ReloadRequested(logger, reason, options.ConfigPath);
        var result = ConfigLoader.Load(options.ConfigPath);
        if (!result.IsValid)
        {
            foreach (var error in result.Errors)
                CliLog.ReloadError(logger, error.ToString());
            return null;
        }
        foreach (var warning in result.Config!.Warnings)
            CliLog.ConfigWarning(logger, warning);
        CliLog.Reloaded(logger, result.Config.Models.Length);
        // The router takes the new config here (issue 5): unchanged fingerprints keep running.
        return ApplyCommandLine(result.Config, options);
    }
}
