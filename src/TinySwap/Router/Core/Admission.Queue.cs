namespace TinySwap.Router;

internal sealed partial class Admission
{
    private void Enqueue(PendingRequest waiter)
    {
        waiter.Priority = state.Slots.TryGetValue(waiter.ModelId, out var slot) ? slot.Config.Priority : 0;
        state.Queue.Enqueue(waiter);
        CountWantedGone();
        core.Deadlines.StartWaiting(waiter);
        state.PositionsDirty = true;
    }

    private void CountWantedGone()
    {
        foreach (var model in state.Evict)
        {
            ((ModelSlot)model).WantedGone++;
            state.WantedGoneCounted = true;
        }
    }

    /// <summary>
    /// Re-runs the decision tree for every queued request, in order. Those still blocked stay, in the same order;
    /// each adds its plan to the models' "wanted gone" counts, which later requests in the pass (and new ones) respect.
    /// </summary>
    public void PassQueue()
    {
        state.QueueDirty = false;
        // Most passes (a release on an idle router) find the queue empty: keep them O(1).
        if (state.WantedGoneCounted)
        {
            foreach (var slot in state.Slots.Values)
                slot.WantedGone = 0;
            state.WantedGoneCounted = false;
        }
        if (state.Queue.Count == 0)
            return;
        var pass = state.Queue.TakeAll();
        try
        {
            foreach (var waiter in pass)
            {
                if (waiter.IsAbandoned)
                {
                    state.Emit(RouterEffect.Drop(waiter)); // its Cancelled input will find it gone
                    continue;
                }
                if (Decide(waiter) == Verdict.Queue)
                {
                    state.Queue.Requeue(waiter);
                    CountWantedGone();
                }
            }
        }
        finally
        {
            pass.Clear();
        }
        state.PositionsDirty = true;
    }

    public void BroadcastPositions()
    {
        state.PositionsDirty = false;
        for (var i = 0; i < state.Queue.Count; i++)
        {
            var waiter = state.Queue[i];
            if (waiter.ReportedPosition == i + 1)
                continue;
            waiter.ReportedPosition = i + 1;
            NotifyPosition(waiter, i + 1);
        }
    }

    public void OnCancelled(PendingRequest waiter)
    {
        var removed = waiter.Place switch
        {
            WaiterPlace.Queue => state.Queue.Remove(waiter),
            WaiterPlace.Swap => waiter.Swap!.Waiters.Remove(waiter),
            _ => false,
        };
        if (!removed)
            return;
        waiter.Place = WaiterPlace.None;
        waiter.Swap = null;
        state.Emit(RouterEffect.Drop(waiter));
        // Its plan no longer holds anyone back: recount.
        state.QueueDirty = true;
    }

    private void NotifyPosition(PendingRequest waiter, int position)
    {
        if (!waiter.IsAbandoned)
            state.Emit(RouterEffect.NotifyPosition(waiter, position));
    }

    private void NotifyLoading(PendingRequest waiter, string modelId, TimeSpan? remaining)
    {
        if (!waiter.IsAbandoned)
            state.Emit(RouterEffect.NotifyLoading(waiter, modelId, remaining));
    }
}
