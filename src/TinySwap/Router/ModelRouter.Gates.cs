using TinySwap.Config;
using TinySwap.Contracts;

namespace TinySwap.Router;

internal sealed partial class ModelRouter
{
    // The admission gates, by model id, for AcquireAsync on any thread. The loop replaces the whole dictionary when a
    // gate is added or forgotten (rare), so readers never see one being changed.
    private Dictionary<string, AdmissionGate> _gates = new(StringComparer.Ordinal);

    // Loop thread only.
    private readonly Dictionary<ModelSlot, AdmissionGate> _gatesBySlot = new(ReferenceEqualityComparer.Instance);
    private readonly List<AdmissionGate> _drainedNow = [];

    /// <summary>The fast path: a lease from the model's open gate, without the loop.</summary>
    private bool TryAdmit(string modelId, out ModelLease lease)
    {
        if (Volatile.Read(ref _gates).TryGetValue(modelId, out var gate))
            return gate.TryEnter(out lease);
        lease = default;
        return false;
    }

    /// <summary>A lease from the model's open gate, or none: the loop never hears of it, so nothing starts or swaps.</summary>
    public bool TryAcquireRunning(ModelConfig model, out ModelLease lease)
    {
        lease = default;
        return !_refusingRequests && TryAdmit(model.Id, out lease);
    }

    /// <summary>An open gate is a model that is up and not being taken down.</summary>
    public bool IsRunning(ModelConfig model) => Volatile.Read(ref _gates).TryGetValue(model.Id, out var gate) && gate.IsOpen;

    private void OpenGate(ModelSlot slot)
    {
        if (!_gatesBySlot.TryGetValue(slot, out var gate))
        {
            gate = new AdmissionGate(this, slot, _time);
            _gatesBySlot.Add(slot, gate);
            PublishGates();
        }
        gate.Config = slot.Config;
        gate.Open();
    }

    private void CloseGate(ModelSlot slot)
    {
        var gate = _gatesBySlot[slot];
        if (gate.Close())
            _drainedNow.Add(gate); // nobody is left to report it: the loop does, right after this batch of effects
    }

    private void ForgetGate(ModelSlot slot)
    {
        if (_gatesBySlot.Remove(slot))
            PublishGates();
    }

    private void PublishGates()
    {
        var gates = new Dictionary<string, AdmissionGate>(StringComparer.Ordinal);
        foreach (var gate in _gatesBySlot.Values)
            gates[gate.Slot.Config.Id] = gate;
        Volatile.Write(ref _gates, gates);
    }

    /// <summary>
    /// What the core needs from the gates before an input: the TTL and the drain judge from a gate's own figures, and
    /// a request that may plan a swap needs every model's last use (least recently used goes first).
    /// </summary>
    private RouterInput WithGateFigures(in RouterInput input)
    {
        switch (input.Kind)
        {
            case RouterInputKind.TtlDue or RouterInputKind.GateDrained:
                return _gatesBySlot.TryGetValue(input.Slot!, out var gate) ? input.WithGate(gate.InFlight, gate.LastUsed) : input;
            case RouterInputKind.Acquire or RouterInputKind.Load:
                foreach (var open in _gatesBySlot.Values)
                    _core.ObserveGate(open.Slot, open.InFlight, open.LastUsed);
                return input;
            default:
                return input;
        }
    }

    /// <summary>After a reload: leases carry the config the kept models now have.</summary>
    private void RefreshGateConfigs()
    {
        foreach (var gate in _gatesBySlot.Values)
            gate.Config = gate.Slot.Config;
    }

    /// <summary>The core's figures plus the requests each gate holds now (those the core does not count).</summary>
    private IReadOnlyList<ModelStatus> WithGateCounts(IReadOnlyList<ModelStatus> models)
    {
        var gates = Volatile.Read(ref _gates);
        ModelStatus[]? adjusted = null;
        for (var i = 0; i < models.Count; i++)
        {
            if (!gates.TryGetValue(models[i].Id, out var gate) || gate.InFlight == 0)
                continue;
            adjusted ??= [.. models];
            adjusted[i] = models[i] with { InFlight = models[i].InFlight + gate.InFlight };
        }
        return adjusted ?? models;
    }
}
