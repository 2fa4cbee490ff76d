using TinySwap.Config;
using TinySwap.Contracts;

namespace TinySwap.Router;

/// <summary>
/// Who gets a model: the decision tree for each request (grant, join a swap, queue, refuse), releases, and the wait
/// queue's passes and positions (Admission.Queue.cs).
/// </summary>
internal sealed partial class Admission(RouterState state, RouterCore core)
{
    private enum Verdict { Answered, Queue }

    public void OnAcquire(PendingRequest waiter)
    {
        // Its client left before the core saw it: nothing to answer, nothing to count.
        if (waiter.IsAbandoned)
        {
            state.Emit(RouterEffect.Drop(waiter));
            return;
        }
        if (state.Shutdown is not null)
        {
            Refuse(waiter, RouterRefusals.ShuttingDown);
            return;
        }
        if (Decide(waiter) == Verdict.Queue)
            Enqueue(waiter);
    }

    public void OnLoad(PendingRequest waiter)
    {
        // An explicit load is the documented way past the restart backoff: it tries at once.
        if (state.Slots.TryGetValue(waiter.ModelId, out var slot) && slot.Failures.ConsecutiveFailures > 0)
        {
            slot.Failures.Clear();
            if (slot.State == ModelState.Failed)
                slot.State = ModelState.Stopped;
            RouterLog.RestartBackoffCleared(state.Log, slot.Config.Id);
        }
        OnAcquire(waiter);
    }

    /// <summary>
    /// The decision tree (llama-swap's, extended): unknown → 404; swap for it in flight → join; ready with nothing to
    /// evict → grant; otherwise queue while its swap would collide with another, cut off a busy model or end a model's
    /// minActive turn early; else start the swap. Leaves the plan in <see cref="state.Evict"/> for the caller.
    /// </summary>
    private Verdict Decide(PendingRequest waiter)
    {
        state.Evict.Clear();
        if (!state.Slots.TryGetValue(waiter.ModelId, out var slot))
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
            var now = state.Now;
            if (now < slot.Failures.BlockedUntil)
            {
                Refuse(waiter, RouterRefusals.BackingOff(slot.Config.Id, slot.Failures.ConsecutiveFailures, slot.FailureReason,
                    state.Between(now, slot.Failures.BlockedUntil)));
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
        if (slot.State == ModelState.Ready && state.Evict.Count == 0)
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
        core.Lifecycle.StartSwap(slot, waiter);
        return Verdict.Answered;
    }

    private void Plan(ModelSlot target)
    {
        state.Running.Clear();
        foreach (var slot in state.Slots.Values)
        {
            if (slot != target && CountsAsRunning(slot))
                state.Running.Add(slot);
        }
        state.Planner.PlanEvictions(target, state.Running, state.Evict);
    }

    private bool CountsAsRunning(ModelSlot slot) => slot.State switch
    {
        ModelState.Ready or ModelState.Starting or ModelState.Stopping => true,
        ModelState.Sleeping => state.Options.CountSleeping,
        _ => false,
    };

    // A model that another swap is starting or evicting, or that is busy with an operation of its own, cannot be
    // part of a new swap's evict set: the swaps would step on each other. Swaps with disjoint sets run in parallel.
    private bool CollidesWithSwapOrTransition()
    {
        foreach (var model in state.Evict)
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
        foreach (var model in state.Evict)
        {
            if (model.InFlight > 0)
                return true;
        }
        return false;
    }

    private bool EvictsDuringMinActive()
    {
        var protectedUntil = 0L;
        foreach (var model in state.Evict)
        {
            var slot = (ModelSlot)model;
            if (slot.State == ModelState.Ready && !TurnIsOver(slot))
                protectedUntil = Math.Max(protectedUntil, TurnEnds(slot));
        }
        if (protectedUntil == 0)
            return false;
        core.Deadlines.WakeAt(protectedUntil);
        return true;
    }

    private long TurnEnds(ModelSlot slot) => slot.ReadySince + state.ToTimestampSpan(slot.Config.MinActive);

    private bool TurnIsOver(ModelSlot slot) => slot.Config.MinActive <= TimeSpan.Zero || state.Now >= TurnEnds(slot);

    /// <summary>
    /// Hands the request a lease and counts it in flight. If its client has left meanwhile the shell cannot deliver it
    /// and gives it straight back as a release, so the count stays exact.
    /// </summary>
    public void Grant(PendingRequest waiter, ModelSlot slot)
    {
        if (!waiter.IsLoad)
            slot.InFlight++;
        slot.LastUsed = state.Now;
        state.Emit(RouterEffect.Grant(waiter, slot));
    }

    public void Refuse(PendingRequest waiter, GateRefusal refusal) => state.Emit(RouterEffect.Refuse(waiter, refusal));

    public void Join(Swap swap, PendingRequest waiter)
    {
        swap.Waiters.Add(waiter);
        waiter.Place = WaiterPlace.Swap;
        waiter.Swap = swap;
        core.Deadlines.StartWaiting(waiter);
        var estimate = state.Costs.Estimate(swap.From, swap.Target.Config.Id);
        var remaining = estimate - state.Between(swap.StartedAt, state.Now);
        NotifyLoading(waiter, swap.Target.Config.Id, remaining < TimeSpan.Zero ? TimeSpan.Zero : remaining);
    }

    public void OnRelease(string modelId, long ticket)
    {
        if (!state.Slots.TryGetValue(modelId, out var slot) || slot.Serial != ticket || slot.InFlight == 0)
        {
            RouterLog.StrayRelease(state.Log, modelId);
            return;
        }
        slot.InFlight--;
        slot.LastUsed = state.Now;
        if (slot.InFlight > 0)
            return;
        state.QueueDirty = true;
        if (slot.State == ModelState.Ready)
            core.Lifecycle.BecameIdle(slot);
    }

    private IEnumerable<string> ListedIds()
    {
        foreach (var model in state.Config.Models)
        {
            if (!model.Unlisted)
                yield return model.Id;
        }
    }
}
