using TinySwap.Contracts;

namespace TinySwap.Router;

/// <summary>
/// The fast path. A model that is ready and that nothing wants to stop, sleep or swap out has its admission gate open:
/// the shell admits requests for it on their own threads (an atomic increment), so they never wait on the loop. The
/// core counts the open gate as one request in flight, so every rule that waits for a model to be idle (evictions,
/// retirement, the shutdown drain) waits for the gate to close and drain, with no special case. Before anything would
/// evict the model the gate closes; the shell reports GateDrained once the last request it admitted has ended, and
/// only then is the gate's share released.
/// </summary>
internal sealed class Gates(RouterState state, RouterCore core)
{
    /// <summary>Opens the gates of models that may take requests without the loop, closes the others.</summary>
    public void UpdateGates()
    {
        foreach (var slot in state.Slots.Values)
        {
            var open = WantsGateOpen(slot);
            if (open && slot.Gate == GateState.Closed)
            {
                slot.Gate = GateState.Open;
                slot.InFlight++;
                state.Emit(RouterEffect.OpenGate(slot));
            }
            else if (!open)
            {
                CloseGate(slot);
            }
        }
    }

    private bool WantsGateOpen(ModelSlot slot)
    {
        if (slot.State != ModelState.Ready || slot.Operation != SlotOperation.None || slot.Swap is not null
            || slot.EvictedBy is not null || slot.Retiring || slot.PendingStop is not null || slot.TtlExpiring || state.Shutdown is not null)
            return false;
        if (slot.WantedGone == 0)
            return true;
        // A queued request wants this model gone: it keeps taking requests until its minActive turn is over (the
        // timer comes back then), and then drains so the queue moves on (the decision tree's fairness rule).
        if (core.Admission.TurnIsOver(slot))
            return false;
        core.Deadlines.WakeAt(core.Admission.TurnEnds(slot));
        return true;
    }

    public void CloseGate(ModelSlot slot)
    {
        if (slot.Gate != GateState.Open)
            return;
        slot.Gate = GateState.Draining;
        state.Emit(RouterEffect.CloseGate(slot));
    }

    /// <summary>Every request the closed gate admitted has ended, the last at <paramref name="lastUsed"/>.</summary>
    public void OnGateDrained(ModelSlot slot, long lastUsed)
    {
        if (slot.Gate != GateState.Draining)
            return;
        slot.Gate = GateState.Closed;
        ObserveGate(slot, 0, lastUsed);
        var ttlExpiring = slot.TtlExpiring;
        slot.TtlExpiring = false;
        core.Admission.EndRequest(slot);
        // The TTL closed it: unless a request ended too recently (it raced the close), the model's turn is over.
        if (ttlExpiring && slot.State == ModelState.Ready && slot.IsIdle && state.Shutdown is null
            && state.Now - slot.LastUsed >= state.ToTimestampSpan(slot.Config.Ttl))
            core.Lifecycle.ExpireTtl(slot);
    }

    /// <summary>
    /// What the shell read off a gate: the requests it holds and when its last one ended. Keeps the planners' order
    /// (busy last, least recently used first) and the TTL current without a message per request.
    /// </summary>
    public void ObserveGate(ModelSlot slot, int inFlight, long lastUsed)
    {
        slot.GateInFlightSeen = inFlight;
        if (lastUsed > slot.LastUsed)
            slot.LastUsed = lastUsed;
    }
}
