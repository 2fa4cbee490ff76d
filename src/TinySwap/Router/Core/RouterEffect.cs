using TinySwap.Contracts;
using TinySwap.Supervisor;

namespace TinySwap.Router;

/// <summary>What the core asks the shell to do.</summary>
internal enum RouterEffectKind : byte
{
    /// <summary>Hand <see cref="RouterEffect.Request"/> a lease on <see cref="RouterEffect.Slot"/> (a load: just "ready"); the core counted it in flight.</summary>
    Grant,

    /// <summary>Answer <see cref="RouterEffect.Request"/> with <see cref="RouterEffect.Refusal"/>.</summary>
    Refuse,

    /// <summary>The core lets go of <see cref="RouterEffect.Request"/> without an answer (its client left).</summary>
    Drop,

    /// <summary>Tell a waiting request its queue position (<see cref="RouterEffect.Number"/>).</summary>
    NotifyPosition,

    /// <summary>Tell a waiting request which model is loading and the estimated time left.</summary>
    NotifyLoading,

    /// <summary>Create the process for <see cref="RouterEffect.Slot"/>'s <c>ProcessConfig</c>, generation <see cref="RouterEffect.Number"/>; it replaces any older one.</summary>
    CreateProcess,

    StartProcess,
    WakeProcess,
    SleepProcess,

    /// <summary>Stop the slot's process for <see cref="RouterEffect.Reason"/>.</summary>
    StopProcess,

    /// <summary>Cancel the slot's start or wake in progress (its outcome still comes back).</summary>
    CancelStart,

    /// <summary>The slot is gone (removed by a reload): release what the shell holds for it.</summary>
    ForgetSlot,

    /// <summary>Run the router-wide timer at timestamp <see cref="RouterEffect.At"/> (replaces the previous setting).</summary>
    SetTimer,

    /// <summary>Run the slot's TTL timer at timestamp <see cref="RouterEffect.At"/>.</summary>
    SetTtlTimer,

    /// <summary>An unload or a shutdown with <see cref="RouterEffect.Ticket"/> is done; <see cref="RouterEffect.Result"/> false: unknown model.</summary>
    Complete,

    /// <summary>The slot became ready (Ready and taking requests) or stopped being so: a future lock-free admission gate opens or closes here.</summary>
    ReadyChanged,
}

/// <summary>One effect. Each kind fills the fields its doc names.</summary>
internal readonly struct RouterEffect
{
    private RouterEffect(RouterEffectKind kind) => Kind = kind;

    public RouterEffectKind Kind { get; }
    public PendingRequest? Request { get; private init; }
    public ModelSlot? Slot { get; private init; }
    public GateRefusal? Refusal { get; private init; }
    public int Number { get; private init; }
    public long At { get; private init; }
    public TimeSpan? Remaining { get; private init; }
    public string? ModelId { get; private init; }
    public StopReason Reason { get; private init; }
    public long Ticket { get; private init; }
    public bool Result { get; private init; }

    public static RouterEffect Grant(PendingRequest request, ModelSlot slot) => new(RouterEffectKind.Grant) { Request = request, Slot = slot };
    public static RouterEffect Refuse(PendingRequest request, GateRefusal refusal) => new(RouterEffectKind.Refuse) { Request = request, Refusal = refusal };
    public static RouterEffect Drop(PendingRequest request) => new(RouterEffectKind.Drop) { Request = request };
    public static RouterEffect NotifyPosition(PendingRequest request, int position) => new(RouterEffectKind.NotifyPosition) { Request = request, Number = position };

    public static RouterEffect NotifyLoading(PendingRequest request, string modelId, TimeSpan? remaining) =>
        new(RouterEffectKind.NotifyLoading) { Request = request, ModelId = modelId, Remaining = remaining };

    public static RouterEffect CreateProcess(ModelSlot slot) => new(RouterEffectKind.CreateProcess) { Slot = slot, Number = slot.ProcessGeneration };
    public static RouterEffect StartProcess(ModelSlot slot) => new(RouterEffectKind.StartProcess) { Slot = slot, Number = slot.ProcessGeneration };
    public static RouterEffect WakeProcess(ModelSlot slot) => new(RouterEffectKind.WakeProcess) { Slot = slot, Number = slot.ProcessGeneration };
    public static RouterEffect SleepProcess(ModelSlot slot) => new(RouterEffectKind.SleepProcess) { Slot = slot, Number = slot.ProcessGeneration };

    public static RouterEffect StopProcess(ModelSlot slot, StopReason reason) =>
        new(RouterEffectKind.StopProcess) { Slot = slot, Number = slot.ProcessGeneration, Reason = reason };

    public static RouterEffect CancelStart(ModelSlot slot) => new(RouterEffectKind.CancelStart) { Slot = slot };
    public static RouterEffect ForgetSlot(ModelSlot slot) => new(RouterEffectKind.ForgetSlot) { Slot = slot };
    public static RouterEffect SetTimer(long at) => new(RouterEffectKind.SetTimer) { At = at };
    public static RouterEffect SetTtlTimer(ModelSlot slot, long at) => new(RouterEffectKind.SetTtlTimer) { Slot = slot, At = at };
    public static RouterEffect Complete(long ticket, bool result) => new(RouterEffectKind.Complete) { Ticket = ticket, Result = result };
    public static RouterEffect ReadyChanged(ModelSlot slot, bool ready) => new(RouterEffectKind.ReadyChanged) { Slot = slot, Result = ready };
}
