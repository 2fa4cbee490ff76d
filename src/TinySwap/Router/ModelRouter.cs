using Microsoft.Extensions.Logging;
using TinySwap.Config;
using TinySwap.Supervisor;
using TinySwap.Contracts;

namespace TinySwap.Router;

/// <summary>
/// The router's shell around <see cref="RouterCore"/>, which makes every decision. One dedicated thread (the loop)
/// feeds the core its inputs, stamped with the time, and carries out the effects it returns: completing waiters,
/// calling the supervisor, running timers. The methods here only post messages to the loop and hand back something to
/// await. Partial files: Loop (thread, inbox, dispatch), Effects (carrying them out), Snapshot.
/// </summary>
internal sealed partial class ModelRouter : IModelGate, ILeaseOwner, IModelStatusSource, IModelControl, IAsyncDisposable
{
    private readonly IModelProcessFactory _factory;
    private readonly RouterOptions _options;
    private readonly ILogger _log;
    private readonly TimeProvider _time;
    private readonly WaiterPool _pool = new();
    private readonly RouterCore _core;

    // Written by the loop, read anywhere: immutable, so a reader always sees one whole config.
    private TinySwapConfig _config;

    // Set before the loop learns of a shutdown, so new requests are refused without a trip through it.
    private volatile bool _refusingRequests;
    private Task? _shutdownTask;
    private readonly Lock _shutdownGate = new();

    public ModelRouter(TinySwapConfig config, IModelProcessFactory factory, ILogger logger, RouterOptions? options = null)
    {
        _config = config;
        _factory = factory;
        _log = logger;
        _options = options ?? new RouterOptions();
        _time = _options.Time;
        _core = new RouterCore(config, _options, _time.TimestampFrequency, logger, _time.GetTimestamp());
        Execute(_core.Effects); // a process per model
        _thread = new Thread(Run) { IsBackground = true, Name = "tinyswap-router" };
    }

    /// <summary>Starts the loop, then loads the config's preload list in order in the background.</summary>
    public void Start()
    {
        _thread.Start();
        if (!_config.Preload.IsEmpty)
            _ = PreloadAsync(_config);
    }

    /// <summary>
    /// Waits until <paramref name="model"/> can take one more request. Granted: a lease to release exactly once when the
    /// response ends. Refused: 404 unknown, 502 start failure, 503 restart backoff / queue timeout / unload / shutdown.
    /// Throws <see cref="OperationCanceledException"/> when <paramref name="aborted"/> fires first; such a request is
    /// never counted in flight. <paramref name="observer"/> is called on the loop thread and must not block.
    /// </summary>
    public ValueTask<GateResult> AcquireAsync(ModelConfig model, IWaitObserver? observer, CancellationToken aborted)
    {
        if (aborted.IsCancellationRequested)
            return ValueTask.FromCanceled<GateResult>(aborted);
        if (_refusingRequests)
            return new ValueTask<GateResult>(GateResult.Refused(RouterRefusals.ShuttingDown));
        var waiter = _pool.Rent();
        waiter.Prepare(this, model.Id, observer, isLoad: false, aborted);
        var task = waiter.Task;
        Post(RouterMessage.Of(RouterInput.Acquire(0, waiter)));
        return task;
    }

    /// <summary>Ends one granted request (called through <see cref="ModelLease.Release"/>).</summary>
    public void Release(ModelConfig model, long ticket) => Post(RouterMessage.Of(RouterInput.Release(0, model.Id, ticket)));

    /// <summary>
    /// Loads a model (id or alias) and completes when it is ready: null, or the refusal a request would have got.
    /// An explicit load skips the restart backoff (it tries at once).
    /// </summary>
    public async Task<GateRefusal?> LoadAsync(string modelId)
    {
        if (_refusingRequests)
            return RouterRefusals.ShuttingDown;
        var waiter = new Waiter(pool: null);
        waiter.Prepare(this, Volatile.Read(ref _config).FindModel(modelId)?.Id ?? modelId, null, isLoad: true, default);
        var task = waiter.Task;
        Post(RouterMessage.Of(RouterInput.Load(0, waiter)));
        return (await task.ConfigureAwait(false)).Refusal;
    }

    /// <summary>Stops a model (id or alias) at once, whatever it is serving; completes when it is stopped. False when unknown.</summary>
    public Task<bool> UnloadAsync(string modelId)
    {
        var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var id = Volatile.Read(ref _config).FindModel(modelId)?.Id ?? modelId;
        Post(RouterMessage.Of(RouterInput.Unload(0, id, NextTicket()), done));
        return done.Task;
    }

    /// <summary>Stops every model; completes when all are stopped.</summary>
    public Task UnloadAllAsync()
    {
        var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        Post(RouterMessage.Of(RouterInput.Unload(0, null, NextTicket()), done));
        return done.Task;
    }

    /// <summary>
    /// Adopts a new, already validated config. Models whose fingerprint is unchanged keep running (same process) and
    /// keep their requests; changed and removed ones are stopped once idle; new ones are available at once.
    /// Completes when the loop has taken the new config (not when old models have stopped).
    /// </summary>
    public Task ReloadAsync(TinySwapConfig config)
    {
        var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        Post(RouterMessage.Of(RouterInput.Reload(0, config), done));
        return done.Task;
    }

    /// <summary>
    /// Refuses new and queued requests (503), lets in-flight requests finish for up to <paramref name="drainTimeout"/>,
    /// then stops every model in parallel. Completes when all are stopped; later calls return the same task.
    /// </summary>
    public Task ShutdownAsync(TimeSpan drainTimeout)
    {
        lock (_shutdownGate)
        {
            if (_shutdownTask is not null)
                return _shutdownTask;
            _refusingRequests = true;
            var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            Post(RouterMessage.Of(RouterInput.Shutdown(0, drainTimeout, NextTicket()), done));
            return _shutdownTask = done.Task;
        }
    }

    /// <summary>Switch cost moving averages per (from, to) pair, for metrics.</summary>
    public IReadOnlyList<SwitchCost> SwitchCosts => _core.SwitchCosts;

    /// <summary>Completes once every message posted before it, and everything those posted in turn, has been handled.</summary>
    public Task FlushAsync()
    {
        var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        Post(RouterMessage.Barrier(done));
        return done.Task;
    }

    /// <summary>Ends the loop thread (after <see cref="ShutdownAsync"/>, or in tests). Models are not stopped here.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_thread.IsAlive)
            return;
        Post(RouterMessage.Exit);
        await Task.Run(() => _thread.Join()).ConfigureAwait(false);
    }

    private async Task PreloadAsync(TinySwapConfig config)
    {
        foreach (var id in config.Preload)
        {
            var refusal = await LoadAsync(id).ConfigureAwait(false);
            if (refusal is null)
                RouterLog.Preloaded(_log, id);
            else
                RouterLog.PreloadFailed(_log, id, refusal.Message);
        }
    }
}
