using TinySwap.Config;
using TinySwap.Supervisor;
using TinySwap.Contracts;

namespace TinySwap.Router;

internal sealed partial class RouterCore
{
    private void OnUnload(string? modelId, long ticket)
    {
        var pending = 0;
        if (modelId is null)
        {
            foreach (var slot in _slots.Values)
                pending += Unload(slot, ticket) ? 1 : 0;
        }
        else if (_slots.TryGetValue(modelId, out var slot))
        {
            pending += Unload(slot, ticket) ? 1 : 0;
        }
        else
        {
            Emit(RouterEffect.Complete(ticket, result: false));
            return;
        }
        if (pending == 0)
            Emit(RouterEffect.Complete(ticket, result: true));
        else
            _unloadsPending[ticket] = pending;
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
            CancelSwap(swap, RouterRefusals.Unloaded(id), StopReason.Unload);
        _queueDirty = true;
        if (slot.Operation != SlotOperation.None)
            slot.PendingStop ??= StopReason.Unload;
        else if (slot.State is ModelState.Ready or ModelState.Sleeping)
        {
            RouterLog.Unloading(_log, id);
            BeginStop(slot, StopReason.Unload);
        }
        else
            return false;
        (slot.StopTickets ??= []).Add(ticket);
        return true;
    }

    /// <summary>The model has stopped (or is gone): every unload waiting on it is one model closer to done.</summary>
    private void CompleteStopTickets(ModelSlot slot)
    {
        if (slot.StopTickets is not { } tickets)
            return;
        slot.StopTickets = null;
        foreach (var ticket in tickets)
        {
            var left = _unloadsPending.GetValueOrDefault(ticket) - 1;
            if (left > 0)
            {
                _unloadsPending[ticket] = left;
                continue;
            }
            _unloadsPending.Remove(ticket);
            Emit(RouterEffect.Complete(ticket, result: true));
        }
    }

    /// <summary>Answers and removes the queued requests for one model (or all, when <paramref name="modelId"/> is null).</summary>
    private void RefuseQueued(string? modelId, GateRefusal refusal)
    {
        var pass = _queue.TakeAll();
        try
        {
            foreach (var waiter in pass)
            {
                if (modelId is null || waiter.ModelId == modelId)
                    Refuse(waiter, refusal);
                else
                    _queue.Requeue(waiter);
            }
        }
        finally
        {
            pass.Clear();
        }
        _positionsDirty = true;
    }

    private void OnReload(TinySwapConfig config)
    {
        _config = config;
        _planner = CreatePlanner(config);
        int kept = 0, changed = 0, removed = 0, added = 0;
        var next = new Dictionary<string, ModelConfig>(StringComparer.Ordinal);
        foreach (var model in config.Models)
            next.Add(model.Id, model);
        foreach (var slot in _slots.Values)
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
            _retirementsPending = true;
            if (nextConfig is null)
                removed++;
            else
                changed++;
        }
        foreach (var model in config.Models)
        {
            if (!_slots.ContainsKey(model.Id))
            {
                AddSlot(model);
                added++;
            }
        }
        RouterLog.Reloaded(_log, kept, changed, removed, added);
        _queueDirty = true;
    }

    /// <summary>Stops changed or removed models once idle, then gives them their new process (or drops them).</summary>
    private void RetireIdleModels()
    {
        if (!_retirementsPending || _shutdown is not null)
            return;
        _retirementsPending = false;
        List<ModelSlot>? gone = null;
        foreach (var slot in _slots.Values)
        {
            if (!slot.Retiring)
                continue;
            if (!slot.IsIdle)
            {
                _retirementsPending = true; // look again after the next change
                continue;
            }
            if (slot.State is ModelState.Ready or ModelState.Sleeping)
            {
                BeginStop(slot, StopReason.Reload);
                _retirementsPending = true;
                continue;
            }
            if (slot.NextConfig is { } nextConfig)
            {
                slot.Config = nextConfig;
                NewProcess(slot, nextConfig);
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
            _queueDirty = true;
        }
        if (gone is null)
            return;
        foreach (var slot in gone)
        {
            _slots.Remove(slot.Config.Id);
            Emit(RouterEffect.ForgetSlot(slot));
            CompleteStopTickets(slot);
        }
    }

    private void OnShutdown(TimeSpan drainTimeout, long ticket)
    {
        var deadline = _now + ToTimestampSpan(drainTimeout);
        _shutdown = new ShutdownState(deadline, ticket);
        RouterLog.ShuttingDown(_log, drainTimeout.TotalSeconds);
        RefuseQueued(null, RouterRefusals.ShuttingDown);
        foreach (var swap in _swaps.ToArray())
            CancelSwap(swap, RouterRefusals.ShuttingDown, StopReason.Shutdown);
        WakeAt(deadline);
    }

    /// <summary>Drain, then stop everything in parallel, then report.</summary>
    private void AdvanceShutdown()
    {
        if (_shutdown is not { } shutdown || shutdown.Done)
            return;
        if (!shutdown.StoppingModels)
        {
            var inFlight = 0;
            foreach (var slot in _slots.Values)
                inFlight += slot.InFlight;
            if (inFlight > 0 && _now < shutdown.Deadline)
                return;
            shutdown.StoppingModels = true;
            RouterLog.StoppingAll(_log, inFlight);
            foreach (var slot in _slots.Values)
            {
                if (slot.Operation != SlotOperation.None)
                {
                    slot.PendingStop ??= StopReason.Shutdown;
                    if (slot.Operation is SlotOperation.Starting or SlotOperation.Waking)
                        Emit(RouterEffect.CancelStart(slot));
                }
                else if (slot.State is ModelState.Ready or ModelState.Sleeping)
                {
                    BeginStop(slot, StopReason.Shutdown);
                }
            }
        }
        foreach (var slot in _slots.Values)
        {
            if (slot.Operation != SlotOperation.None || slot.State is ModelState.Ready or ModelState.Sleeping)
                return;
        }
        foreach (var slot in _slots.Values)
        {
            slot.State = ModelState.ShutDown;
            CompleteStopTickets(slot);
        }
        RouterLog.ShutDown(_log);
        shutdown.Done = true;
        Emit(RouterEffect.Complete(shutdown.Ticket, result: true));
    }
}
