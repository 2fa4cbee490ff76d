using TinySwap.Config;
using TinySwap.Supervisor;
using TinySwap.Contracts;

namespace TinySwap.Router;

/// <summary>What an operator asks for: unload one or all, adopt a reloaded config (retiring changed models once idle), shut down.</summary>
internal sealed class Administration(RouterState state, RouterCore core)
{
    public void OnUnload(string? modelId, long ticket)
    {
        var pending = 0;
        if (modelId is null)
        {
            foreach (var slot in state.Slots.Values)
                pending += Unload(slot, ticket) ? 1 : 0;
        }
        else if (state.Slots.TryGetValue(modelId, out var slot))
        {
            pending += Unload(slot, ticket) ? 1 : 0;
        }
        else
        {
            state.Emit(RouterEffect.Complete(ticket, result: false));
            return;
        }
        if (pending == 0)
            state.Emit(RouterEffect.Complete(ticket, result: true));
        else
            state.UnloadsPending[ticket] = pending;
    }

    /// <summary>
    /// Stops a model at once, as llama-swap's unload does: an admin asked, so even in-flight requests are cut off
    /// (they release normally as they fail). Its waiters are answered 503. True when <paramref name="ticket"/> must wait
    /// for the model to stop.
    /// </summary>
    private bool Unload(ModelSlot slot, long ticket)
    {
        var id = slot.Config.Id;
        RefuseQueued(id, RouterRefusals.Unloaded(id));
        if (slot.Swap is { } swap)
            core.Lifecycle.CancelSwap(swap, RouterRefusals.Unloaded(id), StopReason.Unload);
        state.QueueDirty = true;
        if (slot.Operation != SlotOperation.None)
            slot.PendingStop ??= StopReason.Unload;
        else if (slot.State is ModelState.Ready or ModelState.Sleeping)
        {
            RouterLog.Unloading(state.Log, id);
            core.Lifecycle.BeginStop(slot, StopReason.Unload);
        }
        else
            return false;
        (slot.StopTickets ??= []).Add(ticket);
        return true;
    }

    /// <summary>The model has stopped (or is gone): every unload waiting on it is one model closer to done.</summary>
    public void CompleteStopTickets(ModelSlot slot)
    {
        if (slot.StopTickets is not { } tickets)
            return;
        slot.StopTickets = null;
        foreach (var ticket in tickets)
        {
            var left = state.UnloadsPending.GetValueOrDefault(ticket) - 1;
            if (left > 0)
            {
                state.UnloadsPending[ticket] = left;
                continue;
            }
            state.UnloadsPending.Remove(ticket);
            state.Emit(RouterEffect.Complete(ticket, result: true));
        }
    }

    /// <summary>Answers and removes the queued requests for one model (or all, when <paramref name="modelId"/> is null).</summary>
    private void RefuseQueued(string? modelId, GateRefusal refusal)
    {
        var pass = state.Queue.TakeAll();
        try
        {
            foreach (var waiter in pass)
            {
                if (modelId is null || waiter.ModelId == modelId)
                    core.Admission.Refuse(waiter, refusal);
                else
                    state.Queue.Requeue(waiter);
            }
        }
        finally
        {
            pass.Clear();
        }
        state.PositionsDirty = true;
    }

    public void OnReload(TinySwapConfig config)
    {
        state.Config = config;
        state.Planner = state.CreatePlanner(config);
        int kept = 0, changed = 0, removed = 0, added = 0;
        var next = new Dictionary<string, ModelConfig>(StringComparer.Ordinal);
        foreach (var model in config.Models)
            next.Add(model.Id, model);
        foreach (var slot in state.Slots.Values)
        {
            var nextConfig = next.GetValueOrDefault(slot.Config.Id);
            // Compare with what the process was created from: a second reload may bring back the running config.
            if (nextConfig is not null && nextConfig.Fingerprint == slot.ProcessConfig.Fingerprint)
            {
                slot.Config = nextConfig;
                slot.Retiring = false;
                slot.NextConfig = null;
                kept++;
                continue;
            }
            slot.Retiring = true;
            slot.NextConfig = nextConfig;
            state.RetirementsPending = true;
            if (nextConfig is null)
                removed++;
            else
                changed++;
        }
        foreach (var model in config.Models)
        {
            if (!state.Slots.ContainsKey(model.Id))
            {
                state.AddSlot(model);
                added++;
            }
        }
        RouterLog.Reloaded(state.Log, kept, changed, removed, added);
        state.QueueDirty = true;
    }

    /// <summary>Stops changed or removed models once idle, then gives them their new process (or drops them).</summary>
    public void RetireIdleModels()
    {
        if (!state.RetirementsPending || state.Shutdown is not null)
            return;
        state.RetirementsPending = false;
        List<ModelSlot>? gone = null;
        foreach (var slot in state.Slots.Values)
        {
            if (!slot.Retiring)
                continue;
            if (!slot.IsIdle)
            {
                state.RetirementsPending = true; // look again after the next change
                continue;
            }
            if (slot.State is ModelState.Ready or ModelState.Sleeping)
            {
                core.Lifecycle.BeginStop(slot, StopReason.Reload);
                state.RetirementsPending = true;
                continue;
            }
            if (slot.NextConfig is { } nextConfig)
            {
                slot.Config = nextConfig;
                state.NewProcess(slot, nextConfig);
                slot.State = ModelState.Stopped;
                slot.FailureReason = null;
                slot.Failures.Clear();
                slot.Retiring = false;
                slot.NextConfig = null;
            }
            else
            {
                (gone ??= []).Add(slot);
            }
            state.QueueDirty = true;
        }
        if (gone is null)
            return;
        foreach (var slot in gone)
        {
            state.Slots.Remove(slot.Config.Id);
            state.Emit(RouterEffect.ForgetSlot(slot));
            CompleteStopTickets(slot);
        }
    }

    public void OnShutdown(TimeSpan drainTimeout, long ticket)
    {
        var deadline = state.Now + state.ToTimestampSpan(drainTimeout);
        state.Shutdown = new ShutdownState(deadline, ticket);
        RouterLog.ShuttingDown(state.Log, drainTimeout.TotalSeconds);
        RefuseQueued(null, RouterRefusals.ShuttingDown);
        foreach (var swap in state.Swaps.ToArray())
            core.Lifecycle.CancelSwap(swap, RouterRefusals.ShuttingDown, StopReason.Shutdown);
        core.Deadlines.WakeAt(deadline);
    }

    /// <summary>Drain, then stop everything in parallel, then report.</summary>
    public void AdvanceShutdown()
    {
        if (state.Shutdown is not { } shutdown || shutdown.Done)
            return;
        if (!shutdown.StoppingModels)
        {
            var inFlight = 0;
            foreach (var slot in state.Slots.Values)
                inFlight += slot.InFlight;
            if (inFlight > 0 && state.Now < shutdown.Deadline)
                return;
            shutdown.StoppingModels = true;
            RouterLog.StoppingAll(state.Log, inFlight);
            foreach (var slot in state.Slots.Values)
            {
                if (slot.Operation != SlotOperation.None)
                {
                    slot.PendingStop ??= StopReason.Shutdown;
                    if (slot.Operation is SlotOperation.Starting or SlotOperation.Waking)
                        state.Emit(RouterEffect.CancelStart(slot));
                }
                else if (slot.State is ModelState.Ready or ModelState.Sleeping)
                {
                    core.Lifecycle.BeginStop(slot, StopReason.Shutdown);
                }
            }
        }
        foreach (var slot in state.Slots.Values)
        {
            if (slot.Operation != SlotOperation.None || slot.State is ModelState.Ready or ModelState.Sleeping)
                return;
        }
        foreach (var slot in state.Slots.Values)
        {
            slot.State = ModelState.ShutDown;
            CompleteStopTickets(slot);
        }
        RouterLog.ShutDown(state.Log);
        shutdown.Done = true;
        state.Emit(RouterEffect.Complete(shutdown.Ticket, result: true));
    }
}
