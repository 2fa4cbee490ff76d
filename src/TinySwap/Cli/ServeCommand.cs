using Microsoft.Extensions.Logging;
using TinySwap.Config;
using TinySwap.Http.Transport;
using TinySwap.Observability;

namespace TinySwap.Cli;

/// <summary>
/// `tinyswap` without a subcommand: load and validate the config (errors → stderr, exit 1, nothing started), set up
/// logging, serve until SIGTERM/SIGINT, exit 0. This is the composition root: the one place where the parts meet.
/// </summary>
internal static class ServeCommand
{
    /// <summary>The running service, once started; reloads (signal or file watch) reach it through here.</summary>
    private static ServeHost? _host;

    public static int Run(CliOptions options)
    {
        // Before any socket exists: the runtime reads this once, when its socket engine starts.
        InlineSocketCompletions.Enable();
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
        using var signals = new ShutdownSignal(onReload: () => Reload(options, loggerFactory, logger, "SIGHUP"));
        using var watcher = options.WatchConfig
            ? new ConfigFileWatcher(options.ConfigPath, () => Reload(options, loggerFactory, logger, "file changed"))
            : null;
        foreach (var warning in config.Warnings)
            CliLog.ConfigWarning(logger, warning);

        var host = new ServeHost(config, loggerFactory);
        try
        {
            host.Start();
        }
        // Whatever stops the start (an address taken or not ours, a limit, a bug) is exit 3, logged, never an abort:
        // a service manager must tell "will not start" (3) from "config wrong" (1) from a crash.
        catch (Exception ex)
        {
            CliLog.StartFailed(logger, ex.Message);
            host.DisposeAsync().AsTask().GetAwaiter().GetResult();
            return ExitCodes.StartupFailed;
        }
        Volatile.Write(ref _host, host);
        CliLog.Starting(logger, BuildVersion.Value, string.Join(", ", config.Listen), config.Models.Length,
            config.Policy.ToString(), config.Warnings.Length, config.SourcePath);

        var signal = signals.Stopping.GetAwaiter().GetResult();
        CliLog.ShuttingDown(logger, ShutdownSignal.Name(signal));
        host.StopAsync(config.DrainTimeout).GetAwaiter().GetResult();
        host.DisposeAsync().AsTask().GetAwaiter().GetResult();
        CliLog.Stopped(logger);
        return ExitCodes.Ok;
    }

    /// <summary>--listen replaces the config's `listen`.</summary>
    public static TinySwapConfig ApplyCommandLine(TinySwapConfig config, CliOptions options) =>
        options.Listen.IsEmpty ? config : config with { Listen = options.Listen };

    /// <summary>
    /// Re-reads the config; a broken file is logged error by error and the running config stays. Under systemd the
    /// reload is bracketed by RELOADING=1 and READY=1 whatever its outcome, a failure named in STATUS=.
    /// </summary>
    private static TinySwapConfig? Reload(CliOptions options, MinimumLevelLoggerFactory loggers, ILogger logger, string reason)
    {
        CliLog.ReloadRequested(logger, reason, options.ConfigPath);
        var host = Volatile.Read(ref _host);
        host?.ReloadStarting();
        string? failure = "reload failed unexpectedly; the running config stays";
        try
        {
            var result = ConfigLoader.Load(options.ConfigPath);
            if (!result.IsValid)
            {
                foreach (var error in result.Errors)
                    CliLog.ReloadError(logger, error.ToString());
                failure = $"reload failed: {result.Errors.Length} error(s) in {options.ConfigPath}; the running config stays";
                return null;
            }
            foreach (var warning in result.Config!.Warnings)
                CliLog.ConfigWarning(logger, warning);
            CliLog.Reloaded(logger, result.Config.Models.Length);
            var config = ApplyCommandLine(result.Config, options);
            ReloadLogLevel(options, loggers, logger, config.LogLevel);
            host?.ReloadAsync(config).GetAwaiter().GetResult();
            failure = null;
            return config;
        }
        finally
        {
            host?.ReloadFinished(failure);
        }
    }

    /// <summary>The file's `logLevel` applies at once unless --log-level pinned it; either way one line says what happened.</summary>
    private static void ReloadLogLevel(CliOptions options, MinimumLevelLoggerFactory loggers, ILogger logger, LogLevel level)
    {
        if (options.LogLevel is { } pinned)
        {
            if (level != pinned)
                CliLog.LogLevelPinned(logger, LogLevels.Name(level), LogLevels.Name(pinned));
            return;
        }
        if (level == loggers.MinimumLevel)
            return;
        // Said at the more verbose of the two levels, so the line shows whichever way the level moves.
        if (level < loggers.MinimumLevel)
            loggers.MinimumLevel = level;
        CliLog.LogLevelReloaded(logger, LogLevels.Name(level));
        loggers.MinimumLevel = level;
    }
}
