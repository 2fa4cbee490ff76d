using TinySwap.Config;
using TinySwap.Contracts;

namespace TinySwap.Router;

/// <summary>
/// One model's lock-free admission: while the loop keeps it open, a request takes a lease with one compare-and-swap on
/// its own thread and never posts to the loop. One word holds the open bit and the count of leases out, so an
/// admission can only succeed while the gate is open, and the loop, having closed it, knows exactly when the last
/// lease comes back: the release that takes the word to zero (closed, none out) posts the one GateDrained message.
/// The loop also reads <see cref="LastUsed"/> and <see cref="InFlight"/> on its TTL timer instead of hearing of
/// every request.
/// </summary>
internal sealed class AdmissionGate(ModelRouter router, ModelSlot slot, TimeProvider time) : ILeaseOwner
{
    private const long OpenBit = 1L << 62;
    private const long CountMask = OpenBit - 1;

    private long _state;      // OpenBit | leases out
    private long _lastUsed;   // timestamp of the last release
    private ModelConfig _config = slot.Config;

    public ModelSlot Slot { get; } = slot;

    /// <summary>The config leases carry; the loop refreshes it when a reload keeps the model's process.</summary>
    public ModelConfig Config
    {
        get => Volatile.Read(ref _config);
        set => Volatile.Write(ref _config, value);
    }

    public bool IsOpen => (Volatile.Read(ref _state) & OpenBit) != 0;
    public int InFlight => (int)(Volatile.Read(ref _state) & CountMask);
    public long LastUsed => Volatile.Read(ref _lastUsed);

    /// <summary>Takes a lease if the gate is open (any thread).</summary>
    public bool TryEnter(out ModelLease lease)
    {
        var state = Volatile.Read(ref _state);
        while ((state & OpenBit) != 0)
        {
            var seen = Interlocked.CompareExchange(ref _state, state + 1, state);
            if (seen == state)
            {
                lease = new ModelLease(Config, this, 0);
                return true;
            }
            state = seen;
        }
        lease = default;
        return false;
    }

    /// <summary>Ends a lease this gate gave (through <see cref="ModelLease.Release"/>, exactly once per lease).</summary>
    public void Release(ModelConfig model, long ticket)
    {
        // Written before the decrement, so the loop sees it once it learns the gate drained.
        Volatile.Write(ref _lastUsed, time.GetTimestamp());
        if (Interlocked.Decrement(ref _state) == 0)
            router.Post(RouterMessage.Of(RouterInput.GateDrained(0, Slot)));
    }

    /// <summary>Loop only, on a drained gate.</summary>
    public void Open() => Interlocked.Or(ref _state, OpenBit);

    /// <summary>Loop only. True when no lease is out, so the gate is drained now and no release will report it.</summary>
    public bool Close() => (Interlocked.And(ref _state, ~OpenBit) & CountMask) == 0;
}
