using Microsoft.Extensions.Logging.Abstractions;
using TinySwap.Config;
using TinySwap.Contracts;
using TinySwap.Router;
using TinySwap.Supervisor;

namespace TinySwap.Tests.Router;

/// <summary>
/// Drives <see cref="RouterCore"/> directly on the test's own thread: feeds it inputs stamped with a fake clock and
/// carries out its effects at once (fake processes, fake timers, requests whose answers are plain tasks). Whatever an
/// effect causes (a fake process finishing, a timer firing) becomes the next input, handled before the call returns,
/// so there is nothing to wait for: <see cref="Settle"/> only exists to read like the shell's harness. Every effect is
/// logged in <see cref="Effects"/> for tests that assert on them.
/// </summary>
internal sealed class CoreHarness : IAsyncDisposable, ILeaseOwner
{
    private readonly Queue<RouterInput> _pending = new();
    private readonly Dictionary<ModelSlot, SlotFakes> _slots = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<long, TaskCompletionSource<bool>> _completions = [];
    private ITimer? _timer;
    private long _lastTicket;
    private bool _draining;

    public CoreHarness(TinySwapConfig config, RouterOptions? options = null)
    {
        Config = config;
        Core = new RouterCore(config, options ?? new RouterOptions(), Time.TimestampFrequency, NullLogger.Instance, Time.GetTimestamp());
        Router = new CoreRouter(this);
        Carry(Core.Effects);
        Drain();
    }

    public CoreHarness(params ModelConfig[] models) : this(RouterHarness.ConfigOf(models)) { }

    public RouterCore Core { get; }
    public FakeTimeProvider Time { get; } = new();
    public FakeProcessFactory Factory { get; } = new();
    public TinySwapConfig Config { get; private set; }

    /// <summary>The router's admin surface, answered by the core (what the shell's public methods post).</summary>
    public CoreRouter Router { get; }

    /// <summary>Every effect the core has asked for, in order.</summary>
    public List<RouterEffect> Effects { get; } = [];

    public FakeModelProcess Process(string id) => Factory.Latest(id);

    public ModelConfig ConfigFor(string id) => Config.FindModel(id) ?? RouterHarness.Model(id);

    public PendingRequest Request(string id, IWaitObserver? observer = null, CancellationToken aborted = default) =>
        new(Acquire(ConfigFor(id).Id, observer, isLoad: false, aborted));

    /// <summary>The core answers on the caller's thread: anything the test awaits must already be done.</summary>
    public static Task<T> Done<T>(Task<T> task)
    {
        Assert.True(task.IsCompleted, "the core left this unanswered");
        return task;
    }

    public static Task Done(Task task)
    {
        Assert.True(task.IsCompleted, "the core left this unanswered");
        return task;
    }

    /// <summary>Effects logged since <paramref name="mark"/> (a count of <see cref="Effects"/> taken earlier).</summary>
    public List<RouterEffect> EffectsSince(int mark) => Effects.GetRange(mark, Effects.Count - mark);

    /// <summary>Nothing is ever left in flight between calls; kept so tests read like the shell's.</summary>
    public Task Settle() => Task.CompletedTask;

    /// <summary>Moves the fake clock; timers that fall due on the way feed the core as they fire.</summary>
    public Task Advance(TimeSpan by)
    {
        Time.Advance(by);
        return Task.CompletedTask;
    }

    public Task Release(ModelLease lease)
    {
        lease.Release();
        return Task.CompletedTask;
    }

    public async Task<ModelLease> Serve(string id)
    {
        var request = Request(id);
        if (Process(id).IsStarting)
            Process(id).CompleteStart();
        return await request.Granted();
    }

    public Task Reload(TinySwapConfig config)
    {
        Config = config;
        Feed(RouterInput.Reload(0, config));
        return Task.CompletedTask;
    }

    public ModelStatus Status(string id) => Router.Snapshot().Single(status => status.Id == id);

    public ModelState State(string id) => Status(id).State;

    void ILeaseOwner.Release(ModelConfig model, long ticket) => Feed(RouterInput.Release(0, model.Id, ticket));

    public ValueTask DisposeAsync()
    {
        _timer?.Dispose();
        foreach (var fakes in _slots.Values)
            fakes.Ttl?.Dispose();
        Assert.All(Factory.All(), process => Assert.False(process.OverlapSeen, $"{process.Config.Id}: overlapping operations"));
        return ValueTask.CompletedTask;
    }

    internal int? PidOf(ModelSlot slot) => _slots.TryGetValue(slot, out var fakes) ? fakes.Process.Pid : null;

    internal ValueTask<GateResult> Acquire(string modelId, IWaitObserver? observer, bool isLoad, CancellationToken aborted)
    {
        var request = new TestRequest(this, modelId, observer, isLoad);
        if (aborted.IsCancellationRequested)
            return ValueTask.FromCanceled<GateResult>(aborted);
        aborted.Register(request.Abandon);
        Feed(isLoad ? RouterInput.Load(0, request) : RouterInput.Acquire(0, request));
        return new ValueTask<GateResult>(request.Answer.Task);
    }

    internal Task<bool> Ticketed(Func<long, RouterInput> input)
    {
        var done = new TaskCompletionSource<bool>();
        var ticket = ++_lastTicket;
        _completions.Add(ticket, done);
        Feed(input(ticket));
        return done.Task;
    }

    /// <summary>Hands an input to the core (stamped now) and everything that follows from it.</summary>
    internal void Feed(RouterInput input)
    {
        _pending.Enqueue(input);
        Drain();
    }

    private void Drain()
    {
        if (_draining)
            return; // an effect caused this input: the loop below picks it up
        _draining = true;
        try
        {
            while (_pending.TryDequeue(out var input))
                Carry(Core.Handle(input.At(Time.GetTimestamp())));
        }
        finally
        {
            _draining = false;
        }
    }

    private void Carry(IReadOnlyList<RouterEffect> effects)
    {
        foreach (var effect in effects.ToArray()) // a nested Handle reuses the core's list
        {
            Effects.Add(effect);
            Carry(effect);
        }
    }

    private void Carry(RouterEffect effect)
    {
        var slot = effect.Slot;
        switch (effect.Kind)
        {
            case RouterEffectKind.Grant:
                var lease = effect.Request!.IsLoad ? default : new ModelLease(slot!.Config, this, slot.Serial);
                if (!effect.Request.TryComplete(GateResult.Granted(lease)) && !effect.Request.IsLoad)
                    _pending.Enqueue(RouterInput.Release(0, slot!.Config.Id, slot.Serial));
                break;
            case RouterEffectKind.Refuse:
                effect.Request!.TryComplete(GateResult.Refused(effect.Refusal!));
                break;
            case RouterEffectKind.NotifyPosition:
                effect.Request!.Observer?.QueuePosition(effect.Number);
                break;
            case RouterEffectKind.NotifyLoading:
                effect.Request!.Observer?.Loading(effect.ModelId!, effect.Remaining);
                break;
            case RouterEffectKind.CreateProcess:
                var generation = effect.Number;
                var process = (FakeModelProcess)Factory.Create(slot!.ProcessConfig,
                    fault => Feed(RouterInput.Faulted(0, slot, generation, fault)));
                _slots[slot] = new SlotFakes(process, generation) { Ttl = _slots.GetValueOrDefault(slot)?.Ttl };
                break;
            case RouterEffectKind.StartProcess or RouterEffectKind.WakeProcess:
                var fakes = _slots[slot!];
                fakes.StartCancel = new CancellationTokenSource();
                var token = fakes.StartCancel.Token;
                Outcome(slot!, fakes.Generation, () => effect.Kind == RouterEffectKind.WakeProcess ? fakes.Process.WakeAsync(token) : fakes.Process.StartAsync(token),
                    static (slot, generation, outcome) => RouterInput.StartDone(0, slot, generation, outcome),
                    static e => StartOutcome.Failed(e.Message, null, TimeSpan.Zero));
                break;
            case RouterEffectKind.SleepProcess:
                Outcome(slot!, _slots[slot!].Generation, () => _slots[slot!].Process.SleepAsync(CancellationToken.None),
                    static (slot, generation, outcome) => RouterInput.SleepDone(0, slot, generation, outcome),
                    static _ => new HookOutcome(false, null, false, TimeSpan.Zero));
                break;
            case RouterEffectKind.StopProcess:
                Outcome(slot!, _slots[slot!].Generation, () => _slots[slot!].Process.StopAsync(effect.Reason),
                    static (slot, generation, outcome) => RouterInput.StopDone(0, slot, generation, outcome),
                    static _ => new StopOutcome(false, null, TimeSpan.Zero));
                break;
            case RouterEffectKind.CancelStart:
                _slots[slot!].StartCancel?.Cancel();
                break;
            case RouterEffectKind.ForgetSlot:
                _slots.Remove(slot!, out var gone);
                gone?.Ttl?.Dispose();
                break;
            case RouterEffectKind.SetTimer:
                _timer ??= Time.CreateTimer(_ => Feed(RouterInput.TimerDue(0)), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                _timer.Change(DueIn(effect.At), Timeout.InfiniteTimeSpan);
                break;
            case RouterEffectKind.SetTtlTimer:
                var owner = _slots[slot!];
                owner.Ttl ??= Time.CreateTimer(_ => Feed(RouterInput.TtlDue(0, slot!)), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                owner.Ttl.Change(DueIn(effect.At), Timeout.InfiniteTimeSpan);
                break;
            case RouterEffectKind.Complete:
                if (_completions.Remove(effect.Ticket, out var done))
                    done.SetResult(effect.Result);
                break;
        }
    }

    /// <summary>Starts a fake operation; its outcome becomes an input when the test completes it (or at once).</summary>
    private void Outcome<T>(ModelSlot slot, int generation, Func<Task<T>> start, Func<ModelSlot, int, T, RouterInput> toInput, Func<Exception, T> onException)
        where T : class
    {
        // The fake completes its tasks on the test's thread, and the outcome is delivered right there.
        ProcessOperation.Run(_slots[slot].Process, _ => start(), new Sink<T>(outcome =>
        {
            if (_slots.TryGetValue(slot, out var fakes) && fakes.Generation == generation && outcome is StartOutcome)
                fakes.StartCancel = null;
            Feed(toInput(slot, generation, outcome));
        }), onException);
    }

    private sealed class Sink<T>(Action<T> deliver) : IOutcomeSink<T>
    {
        public void Deliver(T outcome) => deliver(outcome);
    }

    private TimeSpan DueIn(long at)
    {
        var due = Time.GetElapsedTime(Time.GetTimestamp(), at);
        return due < TimeSpan.Zero ? TimeSpan.Zero : due;
    }

    private sealed class SlotFakes(FakeModelProcess process, int generation)
    {
        public FakeModelProcess Process { get; } = process;
        public int Generation { get; } = generation;
        public CancellationTokenSource? StartCancel { get; set; }
        public ITimer? Ttl { get; set; }
    }

    /// <summary>A request whose answer is a plain task; a cancelled token abandons it the way a client leaves.</summary>
    private sealed class TestRequest : TinySwap.Router.PendingRequest
    {
        private readonly CoreHarness _harness;
        private readonly IWaitObserver? _observer;

        public TestRequest(CoreHarness harness, string modelId, IWaitObserver? observer, bool isLoad)
        {
            _harness = harness;
            _observer = observer;
            ModelId = modelId;
            IsLoad = isLoad;
        }

        public TaskCompletionSource<GateResult> Answer { get; } = new();
        public override bool IsAbandoned => Answer.Task.IsCompleted;
        public override IWaitObserver? Observer => _observer;
        public override bool TryComplete(GateResult result) => Answer.TrySetResult(result);
        public override void Unref() { }

        public void Abandon()
        {
            if (Answer.TrySetCanceled())
                _harness.Feed(RouterInput.Cancelled(0, this));
        }
    }
}

/// <summary>The admin calls tests make on the router, answered by a <see cref="CoreHarness"/>'s core.</summary>
internal sealed class CoreRouter(CoreHarness harness)
{
    public ValueTask<GateResult> AcquireAsync(ModelConfig model, IWaitObserver? observer, CancellationToken aborted) =>
        harness.Acquire(model.Id, observer, isLoad: false, aborted);

    public async Task<GateRefusal?> LoadAsync(string modelId) =>
        (await harness.Acquire(harness.Core.Config.FindModel(modelId)?.Id ?? modelId, null, isLoad: true, default)).Refusal;

    public Task<bool> UnloadAsync(string modelId) =>
        harness.Ticketed(ticket => RouterInput.Unload(0, harness.Core.Config.FindModel(modelId)?.Id ?? modelId, ticket));

    public Task UnloadAllAsync() => harness.Ticketed(ticket => RouterInput.Unload(0, null, ticket));

    public Task ShutdownAsync(TimeSpan drainTimeout) => harness.Ticketed(ticket => RouterInput.Shutdown(0, drainTimeout, ticket));

    public IReadOnlyList<ModelStatus> Snapshot() => harness.Core.Describe(harness.PidOf);

    public IReadOnlyList<SwitchCost> SwitchCosts => harness.Core.SwitchCosts;
}
