using System.Collections.Immutable;
using Microsoft.Extensions.Logging.Abstractions;
using TinySwap.Config;
using TinySwap.Proxy;
using TinySwap.Router;
using TinySwap.Contracts;

namespace TinySwap.Tests.Router;

/// <summary>
/// The whole router (shell and core, its loop thread included) over fake processes and a fake clock, with helpers that
/// wait on signals, never on time: for what only the shell does. Decisions are tested on the core (<see cref="CoreHarness"/>);
/// the model, config and group builders here serve both.
/// </summary>
internal sealed class RouterHarness : IAsyncDisposable
{
    // Bounds a failure only: every wait below completes on a signal long before this.
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public FakeTimeProvider Time { get; } = new();
    public FakeProcessFactory Factory { get; } = new();
    public ModelRouter Router { get; }
    public TinySwapConfig Config { get; private set; }

    public RouterHarness(TinySwapConfig config, RouterOptions? options = null)
    {
        Config = config;
        Router = new ModelRouter(config, Factory, NullLogger.Instance, (options ?? new RouterOptions()) with { Time = Time });
        Router.Start();
    }

    public RouterHarness(params ModelConfig[] models) : this(ConfigOf(models)) { }

    public static ModelConfig Model(string id, string fingerprint = "v1") => new()
    {
        Id = id,
        Proxy = new Uri("http://127.0.0.1:5800"),
        Fingerprint = $"{id}:{fingerprint}",
    };

    public static ModelHooks SleepHooks { get; } = new(null, null, Wake: "wake", Sleep: "sleep", null);

    public static TinySwapConfig ConfigOf(IEnumerable<ModelConfig> models, IEnumerable<GroupConfig>? groups = null) =>
        ConfigOf(models, groups, config => config);

    public static TinySwapConfig ConfigOf(IEnumerable<ModelConfig> models, IEnumerable<GroupConfig>? groups,
        Func<TinySwapConfig, TinySwapConfig> adjust)
    {
        var sorted = models.OrderBy(model => model.Id, StringComparer.Ordinal).ToImmutableArray();
        var byName = sorted.ToImmutableDictionary(model => model.Id, StringComparer.Ordinal);
        foreach (var model in sorted)
        {
            foreach (var alias in model.Aliases)
                byName = byName.Add(alias, model);
        }
        return adjust(new TinySwapConfig
        {
            SourcePath = "/test/config.yaml",
            Models = sorted,
            ModelsByName = byName,
            Groups = groups?.ToImmutableArray() ?? [],
        });
    }

    public static GroupConfig Group(string id, bool swap = true, bool exclusive = true, bool persistent = false, params string[] members) =>
        new() { Id = id, Swap = swap, Exclusive = exclusive, Persistent = persistent, Members = [.. members] };

    public FakeModelProcess Process(string id) => Factory.Latest(id);

    public ModelConfig ConfigFor(string id) => Config.FindModel(id) ?? Model(id);

    public PendingRequest Request(string id, IWaitObserver? observer = null, CancellationToken aborted = default) =>
        new(Router.AcquireAsync(ConfigFor(id), observer, aborted));

    /// <summary>Waits until the loop has handled everything posted so far.</summary>
    public Task Settle() => Router.FlushAsync().WaitAsync(Patience);

    /// <summary>Moves the fake clock (firing due timers) and waits until the loop has handled what they posted.</summary>
    public Task Advance(TimeSpan by)
    {
        Time.Advance(by);
        return Settle();
    }

    /// <summary>Ends a granted request and waits until the loop has handled it.</summary>
    public Task Release(ModelLease lease)
    {
        lease.Release();
        return Settle();
    }

    public async Task<ModelLease> Serve(string id)
    {
        var request = Request(id);
        await Settle();
        if (Process(id).IsStarting)
            Process(id).CompleteStart();
        return await request.Granted();
    }

    public async Task Reload(TinySwapConfig config)
    {
        Config = config;
        await Router.ReloadAsync(config).WaitAsync(Patience);
        await Settle();
    }

    public ModelStatus Status(string id) => Router.Snapshot().Single(status => status.Id == id);

    public ModelState State(string id) => Status(id).State;

    public async ValueTask DisposeAsync()
    {
        await Router.DisposeAsync();
        // The IModelProcess contract: one operation at a time per process, whatever the test did.
        Assert.All(Factory.All(), process => Assert.False(process.OverlapSeen, $"{process.Config.Id}: overlapping operations"));
    }
}

/// <summary>A request in the router's hands: answered or not, granted or refused.</summary>
internal sealed class PendingRequest(ValueTask<GateResult> pending)
{
    private Task<GateResult>? _task;

    // A ValueTask may be consumed once; until then its status is read straight from the waiter, which the loop sets
    // synchronously (only the continuation is asynchronous), so this is exact right after a Settle.
    public bool IsAnswered => _task?.IsCompleted ?? pending.IsCompleted;

    public Task<GateResult> Task => _task ??= pending.AsTask();

    public async Task<ModelLease> Granted()
    {
        var result = await Task.WaitAsync(RouterHarness.Patience);
        Assert.True(result.IsGranted, result.Refusal?.Message);
        return result.Lease;
    }

    public async Task<GateRefusal> Refused()
    {
        var result = await Task.WaitAsync(RouterHarness.Patience);
        Assert.False(result.IsGranted, "expected a refusal, got a lease");
        return result.Refusal!;
    }
}

/// <summary>Records what a waiting request was told.</summary>
internal sealed class RecordingObserver : IWaitObserver
{
    private readonly List<int> _positions = [];

    public IReadOnlyList<int> Positions { get { lock (_positions) return [.. _positions]; } }
    public string? LoadingModel { get; private set; }

    public void QueuePosition(int position)
    {
        lock (_positions)
            _positions.Add(position);
    }

    public void Loading(string modelId, TimeSpan? estimatedRemaining) => LoadingModel = modelId;
}
