using TinySwap.Config;
using TinySwap.Supervisor;
using TinySwap.Contracts;
using TinySwap.Observability;

namespace TinySwap.Router;

/// <summary>
/// What happens to a model's process: swaps (evict, then start or wake the target), the outcomes of starts, sleeps and
/// stops, the restart backoff after a failed start, faults, and the TTL.
/// </summary>
internal sealed class Lifecycle(RouterState state, RouterCore core)
{
    public void StartSwap(ModelSlot target, PendingRequest first)
    {
        var evict = new ModelSlot[state.Evict.Count];
        for (var i = 0; i < evict.Length; i++)
            evict[i] = (ModelSlot)state.Evict[i];
        var swap = new Swap(target, evict, state.Now) { TargetWasSleeping = target.State == ModelState.Sleeping };
        state.Swaps.Add(swap);
        target.Swap = swap;
        if (target.State != ModelState.Ready)
            target.State = ModelState.Starting;
        var evictedIds = Array.ConvertAll(evict, slot => slot.Config.Id);
        RouterLog.SwapStarted(state.Log, target.Config.Id, string.Join(", ", evictedIds));
        state.Options.Events.SwapStarted(target.Config.Id, evictedIds);
        core.Admission.Join(swap, first);

        foreach (var slot in evict)
        {
            slot.EvictedBy = swap;
            state.Options.Events.Evicted(slot.Config.Id, EvictionReasons.Swap);
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
        state.Emit(swap.TargetWasSleeping ? RouterEffect.WakeProcess(target) : RouterEffect.StartProcess(target));
    }

    private void BeginSleep(ModelSlot slot)
    {
        LeaveReady(slot);
        slot.State = ModelState.Stopping;
        slot.Operation = SlotOperation.Sleeping;
        state.Emit(RouterEffect.SleepProcess(slot));
    }

    public void BeginStop(ModelSlot slot, StopReason reason)
    {
        LeaveReady(slot);
        slot.State = ModelState.Stopping;
        slot.Operation = SlotOperation.Stopping;
        RouterLog.Stopping(state.Log, slot.Config.Id, reason);
        if (reason != StopReason.Swap) // a swap's evictions were published when it began, sleeps included
            state.Options.Events.Evicted(slot.Config.Id, ReasonLabel(reason));
        state.Emit(RouterEffect.StopProcess(slot, reason));
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

    // The gate closes before the stop or sleep effect, so nothing is admitted once the shell has begun either.
    private void LeaveReady(ModelSlot slot)
    {
        slot.TtlExpiring = false;
        core.Gates.CloseGate(slot);
    }

    public void OnStartDone(ModelSlot slot, StartOutcome outcome)
    {
        var waking = slot.Operation == SlotOperation.Waking;
        slot.Operation = SlotOperation.None;
        var swap = slot.Swap;
        var now = state.Now;

        if (outcome.IsReady)
        {
            slot.State = ModelState.Ready;
            slot.FailureReason = null;
            slot.Failures.Clear();
            slot.ReadySince = now;
            slot.LastUsed = now;
            if (swap is not null)
            {
                var elapsed = state.Between(swap.StartedAt, now);
                state.Costs.Record(swap.From, slot.Config.Id, elapsed);
                RouterLog.Ready(state.Log, slot.Config.Id, elapsed.TotalMilliseconds);
                state.Options.Events.SwapFinished(slot.Config.Id, elapsed);
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
            var delay = slot.Failures.RecordFailure(now, state.ToTimestampSpan(state.Options.RestartBackoffInitial), state.ToTimestampSpan(state.Options.RestartBackoffMax));
            RouterLog.StartFailed(state.Log, slot.Config.Id, outcome.ExitCode, reason);
            state.Options.Events.LoadFailed(slot.Config.Id, reason);
            RouterLog.RestartBackoff(state.Log, slot.Config.Id, slot.Failures.ConsecutiveFailures, state.Between(now, now + delay).TotalSeconds);
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
        if (swap is null || !state.Swaps.Remove(swap))
            return;
        swap.Target.Swap = null;
        foreach (var waiter in swap.Waiters)
        {
            waiter.Place = WaiterPlace.None;
            waiter.Swap = null;
            if (refusal is null)
                core.Admission.Grant(waiter, swap.Target);
            else
                core.Admission.Refuse(waiter, refusal);
        }
        swap.Waiters.Clear();
        state.QueueDirty = true;
    }

    /// <summary>Abandons a swap (unload or shutdown of its target): answers its waiters, stops a start in progress.</summary>
    public void CancelSwap(Swap swap, GateRefusal refusal, StopReason reason)
    {
        var target = swap.Target;
        FinishSwap(swap, refusal);
        if (target.Operation is SlotOperation.Starting or SlotOperation.Waking)
        {
            target.PendingStop ??= reason;
            state.Emit(RouterEffect.CancelStart(target));
        }
        else if (target.State == ModelState.Starting)
        {
            // Still evicting: the target never began to start.
            target.State = swap.TargetWasSleeping ? ModelState.Sleeping : ModelState.Stopped;
        }
    }

    public void OnSleepDone(ModelSlot slot, HookOutcome outcome)
    {
        slot.Operation = SlotOperation.None;
        if (!outcome.Succeeded)
        {
            // A model that would not sleep still has to make room: stop it (the eviction ends with that stop).
            RouterLog.SleepFailed(state.Log, slot.Config.Id, outcome.ExitCode, outcome.TimedOut);
            BeginStop(slot, StopReason.Failure);
            return;
        }
        slot.State = ModelState.Sleeping;
        EvictionDone(slot);
        if (slot.PendingStop is { } reason)
            BeginStop(slot, reason);
        state.QueueDirty = true;
    }

    public void OnStopDone(ModelSlot slot, StopOutcome outcome)
    {
        slot.Operation = SlotOperation.None;
        RouterLog.Stopped(state.Log, slot.Config.Id, outcome.Elapsed.TotalMilliseconds, outcome.Killed);
        SettleStopped(slot);
        EvictionDone(slot);
        state.QueueDirty = true;
    }

    /// <summary>Nothing of the model runs any more: stopped, waiting out its restart backoff (failed), or shut down.</summary>
    private void SettleStopped(ModelSlot slot)
    {
        slot.State = state.Shutdown is { StoppingModels: true } ? ModelState.ShutDown
            : state.Now < slot.Failures.BlockedUntil ? ModelState.Failed
            : ModelState.Stopped;
        slot.PendingStop = null;
        core.Administration.CompleteStopTickets(slot);
    }

    private void EvictionDone(ModelSlot slot)
    {
        if (slot.EvictedBy is not { } swap)
            return;
        slot.EvictedBy = null;
        swap.PendingEvictions--;
        if (swap.PendingEvictions == 0 && state.Swaps.Contains(swap))
            StartTarget(swap);
    }

    public void OnFault(ModelSlot slot, ModelFault fault)
    {
        if (slot.Operation != SlotOperation.None || slot.State is not (ModelState.Ready or ModelState.Sleeping))
            return; // the operation under way reports its own outcome
        RouterLog.Fault(state.Log, slot.Config.Id, fault.ExitCode, fault.Reason);
        slot.FailureReason = fault.Reason;
        // Stop even a process that looks dead (a failed `alive` check leaves it running) so nothing of it remains;
        // it ends Stopped and the next request starts it again.
        BeginStop(slot, StopReason.Failure);
    }

    /// <summary>The model went idle while ready: unload it after its TTL unless it is used again.</summary>
    public void BecameIdle(ModelSlot slot)
    {
        // Idle since its last request ended (a drained gate's may lie before now), and never before it became ready.
        slot.IdleSince = Math.Max(slot.ReadySince, Math.Min(state.Now, slot.LastUsed));
        if (slot.Config.Ttl > TimeSpan.Zero)
            state.Emit(RouterEffect.SetTtlTimer(slot, slot.IdleSince + state.ToTimestampSpan(slot.Config.Ttl)));
    }

    /// <summary>
    /// The TTL timer fired. With the gate open the core does not see requests come and go, so it judges from what the
    /// shell read off the gate (<paramref name="gateInFlight"/>, <paramref name="gateLastUsed"/>): busy, it looks again
    /// a TTL later; idle long enough, the gate closes and the drain ends the model's turn (Gates.OnGateDrained).
    /// </summary>
    public void OnTtlDue(ModelSlot slot, int gateInFlight, long gateLastUsed)
    {
        if (state.Shutdown is not null || slot.State != ModelState.Ready || slot.Config.Ttl <= TimeSpan.Zero)
            return;
        if (!state.Slots.TryGetValue(slot.Config.Id, out var current) || current != slot)
            return;
        var ttl = state.ToTimestampSpan(slot.Config.Ttl);
        if (slot.Gate == GateState.Open && !slot.TtlExpiring)
        {
            core.Gates.ObserveGate(slot, gateInFlight, gateLastUsed);
            var idleSince = Math.Max(slot.LastUsed, slot.ReadySince);
            if (gateInFlight > 0 || slot.InFlight > 1)
                state.Emit(RouterEffect.SetTtlTimer(slot, state.Now + ttl));
            else if (state.Now - idleSince < ttl)
                state.Emit(RouterEffect.SetTtlTimer(slot, idleSince + ttl));
            else
                slot.TtlExpiring = true; // Gates.UpdateGates closes the gate
            return;
        }
        if (!slot.IsIdle)
            return;
        var idleFor = state.Between(slot.IdleSince, state.Now);
        if (idleFor < slot.Config.Ttl)
        {
            state.Emit(RouterEffect.SetTtlTimer(slot, slot.IdleSince + state.ToTimestampSpan(slot.Config.Ttl))); // used again since this was armed
            return;
        }
        ExpireTtl(slot);
    }

    public void ExpireTtl(ModelSlot slot)
    {
        RouterLog.TtlExpired(state.Log, slot.Config.Id, slot.Config.Ttl.TotalSeconds);
        if (slot.Config.Hooks.CanSleep)
        {
            state.Options.Events.Evicted(slot.Config.Id, EvictionReasons.Ttl);
            BeginSleep(slot);
        }
        else
            BeginStop(slot, StopReason.Ttl);
    }
}
