using TinySwap.Supervisor;
using TinySwap.Contracts;

namespace TinySwap.Router;

internal sealed partial class ModelRouter
{
    // One timer wakes the loop for every router-wide deadline (queue timeouts, the end of a minActive turn, the
    // shutdown drain); each model has its own for the TTL. Timer callbacks only post a message.
    private ITimer? _wakeTimer;
    private long _wakeAt = long.MaxValue;
    private readonly List<Waiter> _expired = [];

    private void DisposeTimers()
    {
        _wakeTimer?.Dispose();
        foreach (var slot in _slots.Values)
            slot.TtlTimer?.Dispose();
    }

    private void StartWaiting(Waiter waiter)
    {
        if (waiter.Deadline != long.MaxValue || _config.QueueTimeout <= TimeSpan.Zero)
            return;
        waiter.Deadline = Now + ToTimestampSpan(_config.QueueTimeout);
        WakeAt(waiter.Deadline);
    }

    /// <summary>Makes sure the loop runs a timer pass no later than <paramref name="at"/>.</summary>
    private void WakeAt(long at)
    {
        if (at >= _wakeAt)
            return;
        _wakeAt = at;
        _wakeTimer ??= _time.CreateTimer(static state => ((ModelRouter)state!).Post(new RouterMessage(RouterMessageKind.TimerDue)),
            this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        var due = Between(Now, at);
        _wakeTimer.Change(due < TimeSpan.Zero ? TimeSpan.Zero : due, Timeout.InfiniteTimeSpan);
    }

    private void OnTimerDue(ModelSlot? slot)
    {
        if (slot is not null)
        {
            OnTtlDue(slot);
            return;
        }
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
        var now = Now;
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

        void Classify(Waiter waiter)
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
        slot.IdleSince = Now;
        if (slot.Config.Ttl <= TimeSpan.Zero)
            return;
        slot.TtlTimer ??= _time.CreateTimer(static state =>
        {
            var (router, target) = ((ModelRouter, ModelSlot))state!;
            router.Post(new RouterMessage(RouterMessageKind.TimerDue, target));
        }, (this, slot), Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        slot.TtlTimer.Change(slot.Config.Ttl, Timeout.InfiniteTimeSpan);
    }

    private void OnTtlDue(ModelSlot slot)
    {
        if (_shutdown is not null || slot.State != ModelState.Ready || !slot.IsIdle || slot.Config.Ttl <= TimeSpan.Zero)
            return;
        if (!_slots.TryGetValue(slot.Config.Id, out var current) || current != slot)
            return;
        var idleFor = Between(slot.IdleSince, Now);
        if (idleFor < slot.Config.Ttl)
        {
            slot.TtlTimer!.Change(slot.Config.Ttl - idleFor, Timeout.InfiniteTimeSpan); // used again since this was armed
            return;
        }
        RouterLog.TtlExpired(_log, slot.Config.Id, slot.Config.Ttl.TotalSeconds);
        if (slot.Config.Hooks.CanSleep)
            BeginSleep(slot);
        else
            BeginStop(slot, StopReason.Ttl);
    }
}
