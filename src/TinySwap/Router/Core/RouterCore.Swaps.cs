using TinySwap.Config;
using TinySwap.Supervisor;
using TinySwap.Contracts;
using TinySwap.Observability;

namespace TinySwap.Router;

internal sealed partial class RouterCore
{
    private void StartSwap(ModelSlot target, PendingRequest first)
    {
        var evict = new ModelSlot[_evict.Count];
        for (var i = 0; i < evict.Length; i++)
            evict[i] = (ModelSlot)_evict[i];
        var swap = new Swap(target, evict, _now) { TargetWasSleeping = target.State == ModelState.Sleeping };
        _swaps.Add(swap);
        target.Swap = swap;
        if (target.State != ModelState.Ready)
            target.State = ModelState.Starting;
        var evictedIds = Array.ConvertAll(evict, slot => slot.Config.Id);
        RouterLog.SwapStarted(_log, target.Config.Id, string.Join(", ", evictedIds));
        _options.Events.SwapStarted(target.Config.Id, evictedIds);
        Join(swap, first);

        foreach (var slot in evict)
        {
            slot.EvictedBy = swap;
            _options.Events.Evicted(slot.Config.Id, EvictionReasons.Swap);
            // With sleep/wake hooks the process stays alive and the next request only wakes it.
            if (slot.State == ModelState.Ready && slot.Config.Hooks.CanSleep)
                BeginSleep(slot);
            else
                BeginStop(slot, StopReason.Swap);
        }
        if (swap.PendingEvictions == 0)
            StartTarget(swap);
    }

    private void StartTarget(Swap swap)
    {
        var target = swap.Target;
        if (target.State == ModelState.Ready)
        {
            // The target was up already; the swap only had to make room around it.
            FinishSwap(swap, refusal: null);
            return;
        }
        target.Operation = swap.TargetWasSleeping ? SlotOperation.Waking : SlotOperation.Starting;
        Emit(swap.TargetWasSleeping ? RouterEffect.WakeProcess(target) : RouterEffect.StartProcess(target));
    }

    private void BeginSleep(ModelSlot slot)
    {
        LeaveReady(slot);
        slot.State = ModelState.Stopping;
        slot.Operation = SlotOperation.Sleeping;
        Emit(RouterEffect.SleepProcess(slot));
    }

    private void BeginStop(ModelSlot slot, StopReason reason)
    {
        LeaveReady(slot);
        slot.State = ModelState.Stopping;
        slot.Operation = SlotOperation.Stopping;
        RouterLog.Stopping(_log, slot.Config.Id, reason);
        if (reason != StopReason.Swap) // a swap's evictions were published when it began, sleeps included
            _options.Events.Evicted(slot.Config.Id, ReasonLabel(reason));
        Emit(RouterEffect.StopProcess(slot, reason));
    }

    private static string ReasonLabel(StopReason reason) => reason switch
    {
        StopReason.Swap => EvictionReasons.Swap,
        StopReason.Ttl => EvictionReasons.Ttl,
        StopReason.Unload => EvictionReasons.Unload,
        StopReason.Reload => EvictionReasons.Reload,
        StopReason.Shutdown => EvictionReasons.Shutdown,
        _ => EvictionReasons.Failure,
    };

    private void LeaveReady(ModelSlot slot)
    {
        if (slot.State == ModelState.Ready)
            Emit(RouterEffect.ReadyChanged(slot, ready: false));
    }

    private void OnStartDone(ModelSlot slot, StartOutcome outcome)
    {
        var waking = slot.Operation == SlotOperation.Waking;
        slot.Operation = SlotOperation.None;
        var swap = slot.Swap;
        var now = _now;

        if (outcome.IsReady)
        {
            slot.State = ModelState.Ready;
            slot.FailureReason = null;
            slot.Failures.Clear();
            Emit(RouterEffect.ReadyChanged(slot, ready: true));
            slot.ReadySince = now;
            slot.LastUsed = now;
            if (swap is not null)
            {
                var elapsed = Between(swap.StartedAt, now);
                _costs.Record(swap.From, slot.Config.Id, elapsed);
                RouterLog.Ready(_log, slot.Config.Id, elapsed.TotalMilliseconds);
                _options.Events.SwapFinished(slot.Config.Id, elapsed);
            }
            if (slot.PendingStop is { } reason)
            {
                BeginStop(slot, reason); // unloaded or shut down while starting; its waiters were answered then
                return;
            }
            FinishSwap(swap, refusal: null);
            if (slot.InFlight == 0)
                BecameIdle(slot);
            return;
        }

        // A start cancelled by an unload or a shutdown is no failure of the model's.
        GateRefusal refusal;
        if (slot.PendingStop is null)
        {
            // The waiters of this attempt hear why it failed (502); requests during the backoff that follows get 503.
            var reason = outcome.FailureReason ?? "unknown failure";
            var delay = slot.Failures.RecordFailure(now, ToTimestampSpan(_options.RestartBackoffInitial), ToTimestampSpan(_options.RestartBackoffMax));
            RouterLog.StartFailed(_log, slot.Config.Id, outcome.ExitCode, reason);
            _options.Events.LoadFailed(slot.Config.Id, reason);
            RouterLog.RestartBackoff(_log, slot.Config.Id, slot.Failures.ConsecutiveFailures, Between(now, now + delay).TotalSeconds);
            slot.FailureReason = reason;
            refusal = RouterRefusals.StartFailed(slot.Config.Id, reason);
        }
        else
        {
            refusal = RouterRefusals.Unloaded(slot.Config.Id);
        }
        FinishSwap(swap, refusal);

        // A failed wake may leave the sleeping process behind; a failed start leaves nothing (supervisor contract).
        if (waking)
            BeginStop(slot, StopReason.Failure);
        else
            SettleStopped(slot);
    }

    /// <summary>Ends a swap: grants every waiter (refusal null) or answers them all with the refusal.</summary>
    private void FinishSwap(Swap? swap, GateRefusal? refusal)
    {
        if (swap is null || !_swaps.Remove(swap))
            return;
        swap.Target.Swap = null;
        foreach (var waiter in swap.Waiters)
        {
            waiter.Place = WaiterPlace.None;
            waiter.Swap = null;
            if (refusal is null)
                Grant(waiter, swap.Target);
            else
                Refuse(waiter, refusal);
        }
        swap.Waiters.Clear();
        _queueDirty = true;
    }

    /// <summary>Abandons a swap (unload or shutdown of its target): answers its waiters, stops a start in progress.</summary>
    private void CancelSwap(Swap swap, GateRefusal refusal, StopReason reason)
    {
        var target = swap.Target;
        FinishSwap(swap, refusal);
        if (target.Operation is SlotOperation.Starting or SlotOperation.Waking)
        {
            target.PendingStop ??= reason;
            Emit(RouterEffect.CancelStart(target));
        }
        else if (target.State == ModelState.Starting)
        {
            // Still evicting: the target never began to start.
            target.State = swap.TargetWasSleeping ? ModelState.Sleeping : ModelState.Stopped;
        }
    }

    private void OnSleepDone(ModelSlot slot, HookOutcome outcome)
    {
        slot.Operation = SlotOperation.None;
        if (!outcome.Succeeded)
        {
            // A model that would not sleep still has to make room: stop it (the eviction ends with that stop).
            RouterLog.SleepFailed(_log, slot.Config.Id, outcome.ExitCode, outcome.TimedOut);
            BeginStop(slot, StopReason.Failure);
            return;
        }
        slot.State = ModelState.Sleeping;
        EvictionDone(slot);
        if (slot.PendingStop is { } reason)
            BeginStop(slot, reason);
        _queueDirty = true;
    }

    private void OnStopDone(ModelSlot slot, StopOutcome outcome)
    {
        slot.Operation = SlotOperation.None;
        RouterLog.Stopped(_log, slot.Config.Id, outcome.Elapsed.TotalMilliseconds, outcome.Killed);
        SettleStopped(slot);
        EvictionDone(slot);
        _queueDirty = true;
    }

    /// <summary>Nothing of the model runs any more: stopped, waiting out its restart backoff (failed), or shut down.</summary>
    private void SettleStopped(ModelSlot slot)
    {
        slot.State = _shutdown is { StoppingModels: true } ? ModelState.ShutDown
            : _now < slot.Failures.BlockedUntil ? ModelState.Failed
            : ModelState.Stopped;
        slot.PendingStop = null;
        CompleteStopTickets(slot);
    }

    private void EvictionDone(ModelSlot slot)
    {
        if (slot.EvictedBy is not { } swap)
            return;
        slot.EvictedBy = null;
        swap.PendingEvictions--;
        if (swap.PendingEvictions == 0 && _swaps.Contains(swap))
            StartTarget(swap);
    }

    private void OnFault(ModelSlot slot, ModelFault fault)
    {
        if (slot.Operation != SlotOperation.None || slot.State is not (ModelState.Ready or ModelState.Sleeping))
            return; // the operation under way reports its own outcome
        RouterLog.Fault(_log, slot.Config.Id, fault.ExitCode, fault.Reason);
        slot.FailureReason = fault.Reason;
        // Stop even a process that looks dead (a failed `alive` check leaves it running) so nothing of it remains;
        // it ends Stopped and the next request starts it again.
        BeginStop(slot, StopReason.Failure);
    }
}
