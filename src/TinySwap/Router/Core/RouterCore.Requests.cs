using TinySwap.Config;
using TinySwap.Contracts;

namespace TinySwap.Router;

internal sealed partial class RouterCore
{
    private enum Verdict { Answered, Queue }

    private void OnAcquire(PendingRequest waiter)
    {
        // Its client left before the core saw it: nothing to answer, nothing to count.
        if (waiter.IsAbandoned)
        {
            Emit(RouterEffect.Drop(waiter));
            return;
        }
        if (_shutdown is not null)
        {
            Refuse(waiter, RouterRefusals.ShuttingDown);
            return;
        }
        if (Decide(waiter) == Verdict.Queue)
            Enqueue(waiter);
    }

    private void OnLoad(PendingRequest waiter)
    {
        // An explicit load is the documented way past the restart backoff: it tries at once.
        if (_slots.TryGetValue(waiter.ModelId, out var slot) && slot.Failures.ConsecutiveFailures > 0)
        {
            slot.Failures.Clear();
            if (slot.State == ModelState.Failed)
                slot.State = ModelState.Stopped;
            RouterLog.RestartBackoffCleared(_log, slot.Config.Id);
        }
        OnAcquire(waiter);
    }

    /// <summary>
    /// The decision tree (llama-swap's, extended): unknown → 404; swap for it in flight → join; ready with nothing to
    /// evict → grant; otherwise queue while its swap would collide with another, cut off a busy model or end a model's
    /// minActive turn early; else start the swap. Leaves the plan in <see cref="_evict"/> for the caller.
    /// </summary>
    private Verdict Decide(PendingRequest waiter)
    {
        _evict.Clear();
        if (!_slots.TryGetValue(waiter.ModelId, out var slot))
        {
            Refuse(waiter, RouterRefusals.UnknownModel(waiter.ModelId, ListedIds()));
            return Verdict.Answered;
        }
        if (slot.Retiring)
        {
            if (slot.NextConfig is null)
            {
                Refuse(waiter, RouterRefusals.Removed(waiter.ModelId));
                return Verdict.Answered;
            }
            return Verdict.Queue; // the replacement starts once the old process is gone
        }
        if (slot.State == ModelState.Failed)
        {
            var now = _now;
            if (now < slot.Failures.BlockedUntil)
            {
                Refuse(waiter, RouterRefusals.BackingOff(slot.Config.Id, slot.Failures.ConsecutiveFailures, slot.FailureReason,
                    Between(now, slot.Failures.BlockedUntil)));
                return Verdict.Answered;
            }
            slot.State = ModelState.Stopped;
        }
        if (slot.Swap is { } swap)
        {
            Join(swap, waiter);
            return Verdict.Answered;
        }
        // Stopping, sleeping or starting outside a swap (TTL, unload, fault): wait for that to finish.
        if (slot.Operation != SlotOperation.None)
            return Verdict.Queue;

        Plan(slot);
        if (slot.State == ModelState.Ready && _evict.Count == 0)
        {
            // Fairness: once its turn (minActive) is over, a model that a queued request wants gone takes no new work,
            // so it drains and the queue moves on instead of starving behind a steady stream.
            if (slot.WantedGone > 0 && TurnIsOver(slot))
                return Verdict.Queue;
            Grant(waiter, slot);
            return Verdict.Answered;
        }
        if (CollidesWithSwapOrTransition() || EvictsBusyModel() || EvictsDuringMinActive())
            return Verdict.Queue;
        StartSwap(slot, waiter);
        return Verdict.Answered;
    }

    private void Plan(ModelSlot target)
    {
        _running.Clear();
        foreach (var slot in _slots.Values)
        {
            if (slot != target && CountsAsRunning(slot))
                _running.Add(slot);
        }
        _planner.PlanEvictions(target, _running, _evict);
    }

    private bool CountsAsRunning(ModelSlot slot) => slot.State switch
    {
        ModelState.Ready or ModelState.Starting or ModelState.Stopping => true,
        ModelState.Sleeping => _options.CountSleeping,
        _ => false,
    };

    // A model that another swap is starting or evicting, or that is busy with an operation of its own, cannot be
    // part of a new swap's evict set: the swaps would step on each other. Swaps with disjoint sets run in parallel.
    private bool CollidesWithSwapOrTransition()
    {
        foreach (var model in _evict)
        {
            var slot = (ModelSlot)model;
            if (slot.Swap is not null || slot.EvictedBy is not null || slot.Operation != SlotOperation.None)
                return true;
        }
        return false;
    }

    // A busy model is never cut off: the swap waits until its requests have finished.
    private bool EvictsBusyModel()
    {
        foreach (var model in _evict)
        {
            if (model.InFlight > 0)
                return true;
        }
        return false;
    }

    private bool EvictsDuringMinActive()
    {
        var protectedUntil = 0L;
        foreach (var model in _evict)
        {
            var slot = (ModelSlot)model;
            if (slot.State == ModelState.Ready && !TurnIsOver(slot))
                protectedUntil = Math.Max(protectedUntil, TurnEnds(slot));
        }
        if (protectedUntil == 0)
            return false;
        WakeAt(protectedUntil);
        return true;
    }

    private long TurnEnds(ModelSlot slot) => slot.ReadySince + ToTimestampSpan(slot.Config.MinActive);

    private bool TurnIsOver(ModelSlot slot) => slot.Config.MinActive <= TimeSpan.Zero || _now >= TurnEnds(slot);

    /// <summary>
    /// Hands the request a lease and counts it in flight. If its client has left meanwhile the shell cannot deliver it
    /// and gives it straight back as a release, so the count stays exact.
    /// </summary>
    private void Grant(PendingRequest waiter, ModelSlot slot)
    {
        if (!waiter.IsLoad)
            slot.InFlight++;
        slot.LastUsed = _now;
        Emit(RouterEffect.Grant(waiter, slot));
    }

    private void Refuse(PendingRequest waiter, GateRefusal refusal) => Emit(RouterEffect.Refuse(waiter, refusal));

    private void Join(Swap swap, PendingRequest waiter)
    {
        swap.Waiters.Add(waiter);
        waiter.Place = WaiterPlace.Swap;
        waiter.Swap = swap;
        StartWaiting(waiter);
        var estimate = _costs.Estimate(swap.From, swap.Target.Config.Id);
        var remaining = estimate - Between(swap.StartedAt, _now);
        NotifyLoading(waiter, swap.Target.Config.Id, remaining < TimeSpan.Zero ? TimeSpan.Zero : remaining);
    }

    private void OnRelease(string modelId, long ticket)
    {
        if (!_slots.TryGetValue(modelId, out var slot) || slot.Serial != ticket || slot.InFlight == 0)
        {
            RouterLog.StrayRelease(_log, modelId);
            return;
        }
        slot.InFlight--;
        slot.LastUsed = _now;
        if (slot.InFlight > 0)
            return;
        _queueDirty = true;
        if (slot.State == ModelState.Ready)
            BecameIdle(slot);
    }

    private IEnumerable<string> ListedIds()
    {
        foreach (var model in _config.Models)
        {
            if (!model.Unlisted)
                yield return model.Id;
        }
    }
}
