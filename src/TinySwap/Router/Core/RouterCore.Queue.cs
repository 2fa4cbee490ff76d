namespace TinySwap.Router;

internal sealed partial class RouterCore
{
    private void Enqueue(PendingRequest waiter)
    {
        waiter.Priority = _slots.TryGetValue(waiter.ModelId, out var slot) ? slot.Config.Priority : 0;
        _queue.Enqueue(waiter);
        CountWantedGone();
        StartWaiting(waiter);
        _positionsDirty = true;
    }

    private void CountWantedGone()
    {
        foreach (var model in _evict)
        {
            ((ModelSlot)model).WantedGone++;
            _wantedGoneCounted = true;
        }
    }

    /// <summary>
    /// Re-runs the decision tree for every queued request, in order. Those still blocked stay, in the same order;
    /// each adds its plan to the models' "wanted gone" counts, which later requests in the pass (and new ones) respect.
    /// </summary>
    private void PassQueue()
    {
        _queueDirty = false;
        // Most passes (a release on an idle router) find the queue empty: keep them O(1).
        if (_wantedGoneCounted)
        {
            foreach (var slot in _slots.Values)
                slot.WantedGone = 0;
            _wantedGoneCounted = false;
        }
        if (_queue.Count == 0)
            return;
        var pass = _queue.TakeAll();
        try
        {
            foreach (var waiter in pass)
            {
                if (waiter.IsAbandoned)
                {
                    Emit(RouterEffect.Drop(waiter)); // its Cancelled input will find it gone
                    continue;
                }
                if (Decide(waiter) == Verdict.Queue)
                {
                    _queue.Requeue(waiter);
                    CountWantedGone();
                }
            }
        }
        finally
        {
            pass.Clear();
        }
        _positionsDirty = true;
    }

    private void BroadcastPositions()
    {
        _positionsDirty = false;
        for (var i = 0; i < _queue.Count; i++)
        {
            var waiter = _queue[i];
            if (waiter.ReportedPosition == i + 1)
                continue;
            waiter.ReportedPosition = i + 1;
            NotifyPosition(waiter, i + 1);
        }
    }

    private void OnCancelled(PendingRequest waiter)
    {
        var removed = waiter.Place switch
        {
            WaiterPlace.Queue => _queue.Remove(waiter),
            WaiterPlace.Swap => waiter.Swap!.Waiters.Remove(waiter),
            _ => false,
        };
        if (!removed)
            return;
        waiter.Place = WaiterPlace.None;
        waiter.Swap = null;
        Emit(RouterEffect.Drop(waiter));
        // Its plan no longer holds anyone back: recount.
        _queueDirty = true;
    }

    private void NotifyPosition(PendingRequest waiter, int position)
    {
        if (!waiter.IsAbandoned)
            Emit(RouterEffect.NotifyPosition(waiter, position));
    }

    private void NotifyLoading(PendingRequest waiter, string modelId, TimeSpan? remaining)
    {
        if (!waiter.IsAbandoned)
            Emit(RouterEffect.NotifyLoading(waiter, modelId, remaining));
    }
}
