using TinySwap.Contracts;
using TinySwap.Supervisor;

namespace TinySwap.Router;

internal sealed partial class ModelRouter
{
    // Loop thread only (and the constructor, before the loop starts).
    private readonly Dictionary<ModelSlot, SlotRuntime> _runtimes = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<long, TaskCompletionSource<bool>> _completions = [];
    private readonly List<(string ModelId, long Ticket)> _lostGrants = [];
    private ITimer? _wakeTimer;

    /// <summary>Carries out the core's effects in order; a grant nobody could take goes straight back as a release.</summary>
    private void Execute(IReadOnlyList<RouterEffect> effects)
    {
        while (true)
        {
            for (var i = 0; i < effects.Count; i++)
                Execute(effects[i]);
            if (_lostGrants.Count == 0)
                return;
            var (modelId, ticket) = _lostGrants[^1];
            _lostGrants.RemoveAt(_lostGrants.Count - 1);
            effects = _core.Handle(RouterInput.Release(_time.GetTimestamp(), modelId, ticket));
        }
    }

    private void Execute(in RouterEffect effect)
    {
        switch (effect.Kind)
        {
            case RouterEffectKind.Grant:
                Grant(effect.Request!, effect.Slot!);
                break;
            case RouterEffectKind.Refuse:
                effect.Request!.TryComplete(GateResult.Refused(effect.Refusal!));
                effect.Request.Unref();
                break;
            case RouterEffectKind.Drop:
                effect.Request!.Unref();
                break;
            case RouterEffectKind.NotifyPosition:
                Notify(effect, static (observer, e) => observer.QueuePosition(e.Number));
                break;
            case RouterEffectKind.NotifyLoading:
                Notify(effect, static (observer, e) => observer.Loading(e.ModelId!, e.Remaining));
                break;
            case RouterEffectKind.CreateProcess:
                CreateProcess(effect.Slot!, effect.Number);
                break;
            case RouterEffectKind.StartProcess or RouterEffectKind.WakeProcess:
                StartProcess(effect.Slot!, wake: effect.Kind == RouterEffectKind.WakeProcess);
                break;
            case RouterEffectKind.SleepProcess:
                Track(effect.Slot!, static process => process.SleepAsync(CancellationToken.None),
                    static (now, slot, generation, outcome) => RouterInput.SleepDone(now, slot, generation, outcome),
                    static _ => new HookOutcome(false, null, false, TimeSpan.Zero));
                break;
            case RouterEffectKind.StopProcess:
                StopProcess(effect.Slot!, effect.Reason);
                break;
            case RouterEffectKind.CancelStart:
                _runtimes[effect.Slot!].StartCancel?.Cancel();
                break;
            case RouterEffectKind.ForgetSlot:
                if (_runtimes.Remove(effect.Slot!, out var gone))
                    gone.Ttl?.Dispose();
                break;
            case RouterEffectKind.SetTimer:
                _wakeTimer ??= _time.CreateTimer(static state => ((ModelRouter)state!).Post(RouterMessage.Of(RouterInput.TimerDue(0))),
                    this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                _wakeTimer.Change(DueIn(effect.At), Timeout.InfiniteTimeSpan);
                break;
            case RouterEffectKind.SetTtlTimer:
                SetTtlTimer(effect.Slot!, effect.At);
                break;
            case RouterEffectKind.Complete:
                if (_completions.Remove(effect.Ticket, out var done))
                    done.TrySetResult(effect.Result);
                break;
            case RouterEffectKind.ReadyChanged:
                break; // room for a lock-free admission gate in front of the loop; nothing to do yet
        }
    }

    private void Grant(PendingRequest request, ModelSlot slot)
    {
        var lease = request.IsLoad ? default : new ModelLease(slot.Config, this, slot.Serial);
        // The client's cancellation may have won the race since the core decided: then nobody will release the lease.
        if (!request.TryComplete(GateResult.Granted(lease)) && !request.IsLoad)
            _lostGrants.Add((slot.Config.Id, slot.Serial));
        request.Unref();
    }

    private void Notify(in RouterEffect effect, Action<IWaitObserver, RouterEffect> tell)
    {
        if (effect.Request!.Observer is not { } observer || effect.Request.IsAbandoned)
            return;
        try
        {
            tell(observer, effect);
        }
        catch (Exception e)
        {
            RouterLog.ObserverFault(_log, effect.Request.ModelId, e);
        }
    }

    private void CreateProcess(ModelSlot slot, int generation)
    {
        var process = _factory.Create(slot.ProcessConfig,
            fault => Post(RouterMessage.Of(RouterInput.Faulted(0, slot, generation, fault))));
        var ttl = _runtimes.TryGetValue(slot, out var old) ? old.Ttl : null;
        _runtimes[slot] = new SlotRuntime(process, generation) { Ttl = ttl };
    }

    private void StartProcess(ModelSlot slot, bool wake)
    {
        var runtime = _runtimes[slot];
        var cancel = new CancellationTokenSource();
        runtime.StartCancel = cancel;
        var token = cancel.Token;
        Track(slot, process => wake ? process.WakeAsync(token) : process.StartAsync(token),
            static (now, slot, generation, outcome) => RouterInput.StartDone(now, slot, generation, outcome),
            static e => StartOutcome.Failed(e.Message, null, TimeSpan.Zero));
    }

    // A method of its own: a lambda capturing a local of Execute's switch would allocate its closure on every effect.
    private void StopProcess(ModelSlot slot, StopReason reason) =>
        Track(slot, process => process.StopAsync(reason),
            static (now, slot, generation, outcome) => RouterInput.StopDone(now, slot, generation, outcome),
            static _ => new StopOutcome(false, null, TimeSpan.Zero));

    /// <summary>A start or wake has reported back: its cancellation is no longer needed.</summary>
    private void OperationEnded(ModelSlot slot, int generation)
    {
        if (_runtimes.TryGetValue(slot, out var runtime) && runtime.Generation == generation)
        {
            runtime.StartCancel?.Dispose();
            runtime.StartCancel = null;
        }
    }

    private void SetTtlTimer(ModelSlot slot, long at)
    {
        var runtime = _runtimes[slot];
        runtime.Ttl ??= _time.CreateTimer(static state =>
        {
            var (router, target) = ((ModelRouter, ModelSlot))state!;
            router.Post(RouterMessage.Of(RouterInput.TtlDue(0, target)));
        }, (this, slot), Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        runtime.Ttl.Change(DueIn(at), Timeout.InfiniteTimeSpan);
    }

    private TimeSpan DueIn(long at)
    {
        var due = _time.GetElapsedTime(_time.GetTimestamp(), at);
        return due < TimeSpan.Zero ? TimeSpan.Zero : due;
    }

    private void DisposeTimers()
    {
        _wakeTimer?.Dispose();
        foreach (var runtime in _runtimes.Values)
            runtime.Ttl?.Dispose();
    }

    /// <summary>Runs a supervisor operation on the slot's current process; its outcome comes back as an input.</summary>
    private void Track<T>(ModelSlot slot, Func<IModelProcess, Task<T>> start, Func<long, ModelSlot, int, T, RouterInput> toInput,
        Func<Exception, T> onException) where T : class
    {
        var runtime = _runtimes[slot];
        ProcessOperation.Run(runtime.Process, start, new OutcomePoster<T>(this, slot, runtime.Generation, toInput), onException);
    }

    private sealed class OutcomePoster<T>(ModelRouter router, ModelSlot slot, int generation, Func<long, ModelSlot, int, T, RouterInput> toInput)
        : IOutcomeSink<T>
    {
        public void Deliver(T outcome) => router.Post(RouterMessage.Of(toInput(0, slot, generation, outcome)));
    }
}
