using System.Diagnostics;
using Microsoft.Extensions.Logging;
using TinySwap.Api;
using TinySwap.Api.Events;
using TinySwap.Api.Logs;
using TinySwap.Config;
using TinySwap.Contracts;
using TinySwap.Http.Server;
using TinySwap.Http.Transport;
using TinySwap.Http.Upstream;
using TinySwap.Observability;
using TinySwap.Proxy.LoadingStream;
using TinySwap.Observability.Activity;
using TinySwap.Observability.Capture;
using TinySwap.Observability.Metrics;
using TinySwap.Proxy;
using TinySwap.Proxy.Forwarding;
using TinySwap.Router;
using TinySwap.Supervisor;
using TinySwap.Systemd;

namespace TinySwap.Cli;

/// <summary>
/// The running service: the router loop and its supervisor, the HTTP front door and the upstream client, wired
/// together once. Start, reload and stop are the only things done to it.
/// </summary>
internal sealed class ServeHost : IAsyncDisposable
{
    private readonly Heartbeat _heartbeat = new(TimeSpan.FromSeconds(1));
    private readonly UpstreamClient _upstreams;
    private readonly ModelRouter _router;
    private readonly ProxyHandler _handler;
    private readonly HttpServer _server;
    private readonly ILogger _logger;
    private readonly MetricsRegistry _metrics;
    private readonly EventHub _events;
    private readonly LogBook _logs;
    private readonly ActiveProfile _profiles;
    private readonly Observations _observations;
    private readonly CaptureStore _captures;
    private bool _capturesSubscribed;
    // The last reload's failure, shown in systemd's STATUS= until a reload succeeds; null when the last one worked.
    private volatile string? _reloadFailure;
    private readonly MinimumLevelLoggerFactory? _tappedLoggers;
    private TinySwapConfig _config;
    // systemd's notification socket when run as a Type=notify service (packaging/tinyswap.service), else null.
    private readonly NotifySocket? _systemd = NotifySocket.FromEnvironment();
    // Read (and taken out of our environment) before the router can spawn a model, which would inherit it.
    private readonly TimeSpan? _watchdogInterval = WatchdogInterval.FromEnvironment();
    private RouterWatchdog? _watchdog;

    public ServeHost(TinySwapConfig config, ILoggerFactory loggers)
    {
        _config = config;
        _logger = loggers.CreateLogger("tinyswap");
        _upstreams = new UpstreamClient(new UpstreamClientOptions(), _heartbeat);
        // The one observation seam: the front door, the proxy and the router publish; metrics, activity and events listen.
        var observations = _observations = new Observations();
        _metrics = new MetricsRegistry(config.Models.Select(model => model.Id));
        var activity = new ActivityRing(config.ActivityEntries);
        // First, so a capture is kept before the activity list and the events stream say the request finished.
        _captures = new CaptureStore(0);
        ApplyCaptureBuffer(config);
        observations.Subscribe(_metrics);
        observations.Subscribe(activity);
        var supervisorMetrics = new SupervisorMetrics();
        // The control plane: tinyswap's log lines and the models' output go to the log book, which passes them on to
        // the events stream; the router tells the events stream when its picture changed.
        var logs = _logs = new LogBook(config.LogBufferKB * 1024);
        _events = new EventHub(config, TimeProvider.System);
        logs.LineAdded = _events.LogLine;
        observations.Subscribe(new EventSink(_events));
        var swaps = new SwapWatch();
        observations.Subscribe(swaps);
        if (loggers is MinimumLevelLoggerFactory tappable)
        {
            _tappedLoggers = tappable;
            tappable.Tap = logs.AddOwn;
        }
        var supervisor = new ModelProcessFactory(new SupervisorOptions
        {
            Logger = loggers.CreateLogger("supervisor"),
            HealthProbe = new UpstreamHealthProbe(_upstreams, TimeSpan.FromSeconds(5)),
            Metrics = supervisorMetrics,
            OutputLine = logs.AddModel,
        });
        ModelRouter? router = null;
        _router = router = new ModelRouter(config, supervisor, loggers.CreateLogger("router"), new RouterOptions
        {
            CountSleeping = config.CountSleeping,
            Events = observations,
            // Only while someone listens: a snapshot per input would otherwise cost the grant/release fast path.
            StateChanged = () =>
            {
                if (_events.HasListeners && router is not null)
                    _events.ModelsChanged(router.Snapshot());
            },
        });
        HttpServer? server = null;
        var metricsEndpoint = new MetricsEndpoint(_metrics, supervisorMetrics, _router, () => server?.ConnectionCount ?? 0, BuildVersion.Value);
        // Which profile is active: switched by the API, applied by the proxy; tied to the config, so a reload clears it.
        var profiles = _profiles = new ActiveProfile { Selected = profile => CliLog.ProfileChanged(_logger, profile?.Name ?? "(none)") };
        IRouteHandler api = new ApiHandler(_router, _router, TimeProvider.System, metricsEndpoint, activity, BuildVersion.Value, _captures, profiles);
        api = new ConsoleRoutes(api, new LogRoutes(logs), new EventRoute(_events, logs, _router));
        _handler = new ProxyHandler(new ProxyCatalog(config), _router, api, _upstreams, new HttpForwarder(loggers.CreateLogger("proxy")),
            new ConcurrencyLimiter(), loggers.CreateLogger("proxy"), observations, swaps, states: _router, profiles: profiles)
        {
            AccessLog = (loggers as MinimumLevelLoggerFactory)?.AccessLog,
        };
        _server = server = new HttpServer(new HttpServerOptions { Listen = config.Listen, Limits = config.Limits, TrimMemoryWhenIdle = true }, _handler,
            loggers.CreateLogger("http"), _heartbeat);
    }

    /// <summary>
    /// Binds first — an address that cannot be bound (IOException) must fail before any model is spawned — then
    /// starts the router and its preload list in the background. A request that arrives in between waits in the
    /// router's queue.
    /// </summary>
    public void Start()
    {
        _server.Start();
        _router.Start();
        if (_systemd is not null)
        {
            var status = SystemdStatus();
            _systemd.Send(NotifyMessages.Ready(status));
            _watchdog = new RouterWatchdog(_systemd, _router.FlushAsync, SystemdStatus, status, _watchdogInterval, TimeProvider.System);
        }
    }

    // Kept in the status until a reload succeeds: watchdog pings repeat the status, and must not wipe the failure.
    private string SystemdStatus() => NotifyMessages.Status(_router.Snapshot()) + (_reloadFailure is { } failure ? "; " + failure : "");

    /// <summary>
    /// Type=notify-reload (sd_notify(3)): RELOADING=1 when a reload begins, whatever will come of it; systemd then
    /// waits for the READY=1 of <see cref="ReloadFinished"/>, so `systemctl reload` never hangs on a broken file.
    /// </summary>
    public void ReloadStarting() => _systemd?.Send(NotifyMessages.Reloading(Stopwatch.GetTimestamp()));

    /// <summary>READY=1 after <see cref="ReloadStarting"/>; <paramref name="failure"/> (null: it worked) goes into STATUS=.</summary>
    public void ReloadFinished(string? failure)
    {
        _reloadFailure = failure;
        _systemd?.Send(NotifyMessages.Ready(SystemdStatus()));
    }

    /// <summary>
    /// New requests see the new config at once; the router keeps models whose effective config is unchanged. New
    /// limits apply to connections accepted from now on; new listen addresses are bound before old ones close, and
    /// when one cannot be bound the old ones stay (and the log says so).
    /// </summary>
    public async Task ReloadAsync(TinySwapConfig config)
    {
        _metrics.AddModels(config.Models.Select(model => model.Id));
        ApplyCaptureBuffer(config);
        await _router.ReloadAsync(config);
        var previous = _handler.Catalog.Config;
        _handler.Catalog = new ProxyCatalog(config);
        // The new config has no active profile already (the selection belongs to the old one); say so in the log.
        if (_profiles.For(previous) is not null)
            _profiles.Select(config, null);
        _events.Config = config;
        if (config.Limits != _config.Limits)
        {
            _server.UpdateLimits(config.Limits);
            CliLog.LimitsReloaded(_logger);
        }
        if (!config.Listen.SequenceEqual(_config.Listen))
        {
            if (await _server.UpdateListenAsync(config.Listen) is { } error)
            {
                CliLog.ListenNotReloaded(_logger, string.Join(", ", _config.Listen), error);
                config = config with { Listen = _config.Listen };
            }
            else
                CliLog.ListenReloaded(_logger, string.Join(", ", config.Listen));
        }
        _config = config;
    }

    /// <summary>
    /// <c>captureBuffer</c>: the store listens only once captures were turned on, so with them off (the default) no
    /// request pays for them; turned off by a reload, it stays subscribed and hands out no more recorders.
    /// </summary>
    private void ApplyCaptureBuffer(TinySwapConfig config)
    {
        _captures.BudgetBytes = config.CaptureBufferMB * 1024L * 1024;
        if (config.CaptureBufferMB > 0 && !_capturesSubscribed)
        {
            _observations.Subscribe(_captures);
            _capturesSubscribed = true;
        }
    }

    /// <summary>
    /// Stop accepting; queued requests get 503; in-flight ones finish within <paramref name="drainTimeout"/>; every
    /// model is stopped (in parallel) before this returns.
    /// </summary>
    public async Task StopAsync(TimeSpan drainTimeout)
    {
        _systemd?.Send(NotifyMessages.Stopping);
        _events.CloseListeners();
        _logs.CloseFollowers();
        var server = _server.StopAsync();
        await _router.ShutdownAsync(drainTimeout);
        await server;
    }

    public async ValueTask DisposeAsync()
    {
        _watchdog?.Dispose();
        if (_tappedLoggers is not null)
            _tappedLoggers.Tap = null;
        _events.Dispose();
        _systemd?.Dispose();
        await _router.DisposeAsync();
        await _upstreams.DisposeAsync();
        _heartbeat.Dispose();
    }
}
