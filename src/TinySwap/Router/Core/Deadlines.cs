using TinySwap.Supervisor;
using TinySwap.Contracts;

namespace TinySwap.Router;

/// <summary>Queue timeouts and the one router-wide timer (queue deadlines, minActive turns, the shutdown drain).</summary>
internal sealed class Deadlines(RouterState state, RouterCore core)
{
    // One timer wakes the core for every router-wide deadline (queue timeouts, the end of a minActive turn, the
    // shutdown drain); each model has its own for the TTL. The shell runs them and feeds TimerDue/TtlDue back.

    public void StartWaiting(PendingRequest waiter)
    {
        if (waiter.Deadline != long.MaxValue || state.Config.QueueTimeout <= TimeSpan.Zero)
            return;
        waiter.Deadline = state.Now + state.ToTimestampSpan(state.Config.QueueTimeout);
        WakeAt(waiter.Deadline);
    }

    /// <summary>Makes sure a timer pass runs no later than <paramref name="at"/>.</summary>
    public void WakeAt(long at)
    {
        if (at >= state.TimerAt)
            return;
        state.TimerAt = at;
        state.Emit(RouterEffect.SetTimer(at));
    }

    public void OnTimerDue()
    {
        state.TimerAt = long.MaxValue;
        ExpireWaiters();
        // A minActive turn may have ended; the pass re-arms the timer for any turn still running.
        state.QueueDirty = true;
        if (state.Shutdown is { StoppingModels: false } shutdown)
            WakeAt(shutdown.Deadline);
    }

    /// <summary>Answers 503 to every waiter past its queue timeout, queued or joined to a swap.</summary>
    private void ExpireWaiters()
    {
        var now = state.Now;
        var next = long.MaxValue;
        for (var i = 0; i < state.Queue.Count; i++)
            Classify(state.Queue[i]);
        foreach (var swap in state.Swaps)
        {
            foreach (var waiter in swap.Waiters)
                Classify(waiter);
        }
        foreach (var waiter in state.Expired)
        {
            if (waiter.Place == WaiterPlace.Queue)
                state.Queue.Remove(waiter);
            else
                waiter.Swap!.Waiters.Remove(waiter);
            waiter.Swap = null;
            var retryAfter = state.Costs.Estimate(null, waiter.ModelId) ?? state.Options.DefaultRetryAfter;
            RouterLog.QueueTimeout(state.Log, waiter.ModelId);
            core.Admission.Refuse(waiter, RouterRefusals.QueueTimeout(waiter.ModelId, state.Config.QueueTimeout, retryAfter));
        }
        if (state.Expired.Count > 0)
        {
            state.PositionsDirty = true;
            state.QueueDirty = true;
        }
        state.Expired.Clear();
        if (next != long.MaxValue)
            WakeAt(next);

        void Classify(PendingRequest waiter)
        {
            if (waiter.Deadline <= now)
                state.Expired.Add(waiter);
            else
                next = Math.Min(next, waiter.Deadline);
        }
    }
}
