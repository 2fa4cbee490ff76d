using TinySwap.Supervisor;
using TinySwap.Contracts;

namespace TinySwap.Router;

internal sealed partial class RouterCore
{
    // One timer wakes the core for every router-wide deadline (queue timeouts, the end of a minActive turn, the
    // shutdown drain); each model has its own for the TTL. The shell runs them and feeds TimerDue/TtlDue back.

    private void StartWaiting(PendingRequest waiter)
    {
        if (waiter.Deadline != long.MaxValue || _config.QueueTimeout <= TimeSpan.Zero)
            return;
        waiter.Deadline = _now + ToTimestampSpan(_config.QueueTimeout);
        WakeAt(waiter.Deadline);
    }

    /// <summary>Makes sure a timer pass runs no later than <paramref name="at"/>.</summary>
    private void WakeAt(long at)
    {
        if (at >= _wakeAt)
            return;
        _wakeAt = at;
        Emit(RouterEffect.SetTimer(at));
    }

    private void OnTimerDue()
    {
        _wakeAt = long.MaxValue;
        ExpireWaiters();
        // A minActive turn may have ended; the pass re-arms the timer for any turn still running.
        _queueDirty = true;
        if (_shutdown is { StoppingModels: false } shutdown)
            WakeAt(shutdown.Deadline);
    }

    /// <summary>Answers 503 to every waiter past its queue timeout, queued or joined to a swap.</summary>
    private void ExpireWaiters()
    {
        var now = _now;
        var next = long.MaxValue;
        for (var i = 0; i < _queue.Count; i++)
            Classify(_queue[i]);
        foreach (var swap in _swaps)
        {
            foreach (var waiter in swap.Waiters)
                Classify(waiter);
        }
        foreach (var waiter in _expired)
        {
            if (waiter.Place == WaiterPlace.Queue)
                _queue.Remove(waiter);
            else
                waiter.Swap!.Waiters.Remove(waiter);
            waiter.Swap = null;
            var retryAfter = _costs.Estimate(null, waiter.ModelId) ?? _options.DefaultRetryAfter;
            RouterLog.QueueTimeout(_log, waiter.ModelId);
            Refuse(waiter, RouterRefusals.QueueTimeout(waiter.ModelId, _config.QueueTimeout, retryAfter));
        }
        if (_expired.Count > 0)
        {
            _positionsDirty = true;
            _queueDirty = true;
        }
        _expired.Clear();
        if (next != long.MaxValue)
            WakeAt(next);

        void Classify(PendingRequest waiter)
        {
            if (waiter.Deadline <= now)
                _expired.Add(waiter);
            else
                next = Math.Min(next, waiter.Deadline);
        }
    }

    /// <summary>The model went idle while ready: unload it after its TTL unless it is used again.</summary>
    private void BecameIdle(ModelSlot slot)
    {
        slot.IdleSince = _now;
        if (slot.Config.Ttl > TimeSpan.Zero)
            Emit(RouterEffect.SetTtlTimer(slot, _now + ToTimestampSpan(slot.Config.Ttl)));
    }

    private void OnTtlDue(ModelSlot slot)
    {
        if (_shutdown is not null || slot.State != ModelState.Ready || !slot.IsIdle || slot.Config.Ttl <= TimeSpan.Zero)
            return;
        if (!_slots.TryGetValue(slot.Config.Id, out var current) || current != slot)
            return;
        var idleFor = Between(slot.IdleSince, _now);
        if (idleFor < slot.Config.Ttl)
        {
            Emit(RouterEffect.SetTtlTimer(slot, slot.IdleSince + ToTimestampSpan(slot.Config.Ttl))); // used again since this was armed
            return;
        }
        RouterLog.TtlExpired(_log, slot.Config.Id, slot.Config.Ttl.TotalSeconds);
        if (slot.Config.Hooks.CanSleep)
        {
            _options.Events.Evicted(slot.Config.Id, Observability.EvictionReasons.Ttl);
            BeginSleep(slot);
        }
        else
            BeginStop(slot, StopReason.Ttl);
    }
}
