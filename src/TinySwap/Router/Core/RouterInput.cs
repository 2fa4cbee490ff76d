using TinySwap.Config;
using TinySwap.Supervisor;

namespace TinySwap.Router;

/// <summary>What happened, as the core is told it.</summary>
internal enum RouterInputKind : byte
{
    /// <summary>A request wants one lease on <see cref="RouterInput.Request"/>'s model.</summary>
    Acquire,

    /// <summary>An explicit load (clears the restart backoff first).</summary>
    Load,

    /// <summary>A granted request ended: <see cref="RouterInput.ModelId"/> and the lease's <see cref="RouterInput.Ticket"/>.</summary>
    Release,

    /// <summary>A waiting request's client left.</summary>
    Cancelled,

    /// <summary>A start or wake ended (<see cref="RouterInput.Started"/>).</summary>
    StartDone,

    /// <summary>A sleep hook ended (<see cref="RouterInput.Slept"/>).</summary>
    SleepDone,

    /// <summary>A stop ended (<see cref="RouterInput.Stopped"/>).</summary>
    StopDone,

    /// <summary>A serving model crashed or failed its alive check (<see cref="RouterInput.Fault"/>).</summary>
    Fault,

    /// <summary>The router-wide timer fired (queue timeouts, a minActive turn, the shutdown drain).</summary>
    TimerDue,

    /// <summary>A model's TTL timer fired.</summary>
    TtlDue,

    /// <summary>Stop one model (<see cref="RouterInput.ModelId"/>) or every one (null); complete <see cref="RouterInput.Ticket"/> when done.</summary>
    Unload,

    /// <summary>Adopt <see cref="RouterInput.Config"/>.</summary>
    Reload,

    /// <summary>Drain for <see cref="RouterInput.Drain"/>, stop everything, complete <see cref="RouterInput.Ticket"/>.</summary>
    Shutdown,
}

/// <summary>
/// One input to the core. Each kind fills the fields its doc names; <see cref="Now"/> (a timestamp of the shell's clock,
/// taken when the shell handles it) is the only time the core ever sees. A struct, so the per-request inputs cost nothing.
/// </summary>
internal readonly struct RouterInput
{
    private RouterInput(RouterInputKind kind, long now) { Kind = kind; Now = now; }

    public RouterInputKind Kind { get; }
    public long Now { get; private init; }
    public PendingRequest? Request { get; private init; }
    public ModelSlot? Slot { get; private init; }

    /// <summary>The process generation an outcome or fault came from; a stale one is ignored.</summary>
    public int Generation { get; private init; }

    public string? ModelId { get; private init; }
    public long Ticket { get; private init; }
    public StartOutcome? Started { get; private init; }
    public HookOutcome? Slept { get; private init; }
    public StopOutcome? Stopped { get; private init; }
    public ModelFault? Fault { get; private init; }
    public TinySwapConfig? Config { get; private init; }
    public TimeSpan Drain { get; private init; }

    /// <summary>The same input stamped with the time at which it is handled.</summary>
    public RouterInput At(long now) => this with { Now = now };

    public static RouterInput Acquire(long now, PendingRequest request) => new(RouterInputKind.Acquire, now) { Request = request };
    public static RouterInput Load(long now, PendingRequest request) => new(RouterInputKind.Load, now) { Request = request };
    public static RouterInput Release(long now, string modelId, long ticket) => new(RouterInputKind.Release, now) { ModelId = modelId, Ticket = ticket };
    public static RouterInput Cancelled(long now, PendingRequest request) => new(RouterInputKind.Cancelled, now) { Request = request };

    public static RouterInput StartDone(long now, ModelSlot slot, int generation, StartOutcome outcome) =>
        new(RouterInputKind.StartDone, now) { Slot = slot, Generation = generation, Started = outcome };

    public static RouterInput SleepDone(long now, ModelSlot slot, int generation, HookOutcome outcome) =>
        new(RouterInputKind.SleepDone, now) { Slot = slot, Generation = generation, Slept = outcome };

    public static RouterInput StopDone(long now, ModelSlot slot, int generation, StopOutcome outcome) =>
        new(RouterInputKind.StopDone, now) { Slot = slot, Generation = generation, Stopped = outcome };

    public static RouterInput Faulted(long now, ModelSlot slot, int generation, ModelFault fault) =>
        new(RouterInputKind.Fault, now) { Slot = slot, Generation = generation, Fault = fault };

    public static RouterInput TimerDue(long now) => new(RouterInputKind.TimerDue, now);
    public static RouterInput TtlDue(long now, ModelSlot slot) => new(RouterInputKind.TtlDue, now) { Slot = slot };
    public static RouterInput Unload(long now, string? modelId, long ticket) => new(RouterInputKind.Unload, now) { ModelId = modelId, Ticket = ticket };
    public static RouterInput Reload(long now, TinySwapConfig config) => new(RouterInputKind.Reload, now) { Config = config };
    public static RouterInput Shutdown(long now, TimeSpan drain, long ticket) => new(RouterInputKind.Shutdown, now) { Drain = drain, Ticket = ticket };
}
