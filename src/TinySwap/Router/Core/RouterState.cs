using Microsoft.Extensions.Logging;
using TinySwap.Config;
using TinySwap.Contracts;
using TinySwap.Supervisor;

namespace TinySwap.Router;

/// <summary>
/// Everything the router knows, in one place: the core's fields here, and below the per-model, per-swap and
/// per-request records it keeps. The core's parts (<see cref="Admission"/>, <see cref="Lifecycle"/>,
/// <see cref="Deadlines"/>, <see cref="Administration"/>) read and write it; nothing else does (the shell reads a
/// slot's identity and config, never its state).
/// </summary>
internal sealed class RouterState(TinySwapConfig config, RouterOptions options, long timestampFrequency, ILogger logger, long now)
{
    // ---- Fixed at construction ----
    public RouterOptions Options { get; } = options;
    public ILogger Log { get; } = logger;

    /// <summary>Timestamp ticks per second of the shell's clock.</summary>
    public long Frequency { get; } = timestampFrequency;

    // ---- The router's state ----
    public TinySwapConfig Config { get; set; } = config;
    public ISwapPlanner Planner { get; set; } = null!;
    public Dictionary<string, ModelSlot> Slots { get; } = new(StringComparer.Ordinal);
    public WaitQueue Queue { get; } = new();
    public List<Swap> Swaps { get; } = [];
    public SwitchCostTracker Costs { get; } = new();
    public long NextSerial { get; set; }
    public ShutdownState? Shutdown { get; set; }

    /// <summary>Unload ticket → models still to stop.</summary>
    public Dictionary<long, int> UnloadsPending { get; } = [];

    /// <summary>The router-wide timer is set for this timestamp (long.MaxValue: not set).</summary>
    public long TimerAt { get; set; } = long.MaxValue;

    /// <summary>The timestamp of the input being handled: the only clock the core has.</summary>
    public long Now { get; set; } = now;

    // ---- Follow-ups a change leaves for the end of the input (RouterCore.AfterChange) ----
    public bool QueueDirty { get; set; }
    public bool PositionsDirty { get; set; }

    /// <summary>Some slot's WantedGone is non-zero: the next queue pass must reset them.</summary>
    public bool WantedGoneCounted { get; set; }

    public bool RetirementsPending { get; set; }

    // ---- Output and scratch, reused by every input so the fast path allocates nothing ----
    public List<RouterEffect> Effects { get; } = [];
    public List<IPlannedModel> Running { get; } = [];
    public List<IPlannedModel> Evict { get; } = [];
    public List<PendingRequest> Expired { get; } = [];

    public void Emit(in RouterEffect effect) => Effects.Add(effect);

    public long ToTimestampSpan(TimeSpan span)
    {
        if (span <= TimeSpan.Zero)
            return 0;
        var ticks = span.TotalSeconds * Frequency;
        return ticks >= long.MaxValue / 4 ? long.MaxValue / 4 : (long)ticks;
    }

    // As TimeProvider.GetElapsedTime computes it, so the core and the shell agree to the tick.
    public TimeSpan Between(long from, long to) => new((long)((to - from) * ((double)TimeSpan.TicksPerSecond / Frequency)));

    public ISwapPlanner CreatePlanner(TinySwapConfig config) => (Options.PlannerFactory ?? SwapPlanners.FromConfig)(config, Options);

    public void AddSlot(ModelConfig config)
    {
        var slot = new ModelSlot(++NextSerial, config);
        NewProcess(slot, config);
        Slots.Add(config.Id, slot);
    }

    /// <summary>The slot gets a new process (generation) for <paramref name="config"/>; outcomes of the old one are ignored.</summary>
    public void NewProcess(ModelSlot slot, ModelConfig config)
    {
        slot.ProcessConfig = config;
        slot.ProcessGeneration++;
        Emit(RouterEffect.CreateProcess(slot));
    }
}

/// <summary>A shutdown under way: drain until the deadline, then stop every model, then complete the ticket.</summary>
internal sealed class ShutdownState(long deadline, long ticket)
{
    public long Deadline { get; } = deadline;
    public long Ticket { get; } = ticket;
    public bool Done { get; set; }

    /// <summary>The drain is over (or timed out): models are being stopped.</summary>
    public bool StoppingModels { get; set; }
}

/// <summary>The supervisor operation a slot is waiting on; at most one at a time (the IModelProcess contract).</summary>
internal enum SlotOperation { None, Starting, Waking, Sleeping, Stopping }

/// <summary>Everything the core knows about one model.</summary>
internal sealed class ModelSlot(long serial, ModelConfig config) : IPlannedModel
{
    /// <summary>Identifies this slot in lease tickets: a release for another slot of the same id is ignored.</summary>
    public long Serial { get; } = serial;

    public ModelConfig Config { get; set; } = config;

    /// <summary>The config the current process was created from (a reload keeps the process when its fingerprint matches).</summary>
    public ModelConfig ProcessConfig { get; set; } = config;

    /// <summary>Bumped when the process is replaced, so a late outcome or fault from the old one is ignored.</summary>
    public int ProcessGeneration { get; set; }

    public ModelState State { get; set; } = ModelState.Stopped;
    public string? FailureReason { get; set; }
    public SlotOperation Operation { get; set; }

    public int InFlight { get; set; }
    public long LastUsed { get; set; }

    /// <summary>When the model last became ready: its turn started (for minActive).</summary>
    public long ReadySince { get; set; }

    /// <summary>When its in-flight count last dropped to zero while ready (for the TTL).</summary>
    public long IdleSince { get; set; }

    /// <summary>The in-flight swap whose target this model is.</summary>
    public Swap? Swap { get; set; }

    /// <summary>The in-flight swap that is stopping or sleeping this model.</summary>
    public Swap? EvictedBy { get; set; }

    /// <summary>An unload, shutdown, retirement or fault wants it stopped once the current operation ends.</summary>
    public StopReason? PendingStop { get; set; }

    /// <summary>Unload tickets waiting for this model to be stopped.</summary>
    public List<long>? StopTickets { get; set; }

    /// <summary>A reload changed or removed it: stop it once idle, then adopt <see cref="NextConfig"/> (null: remove).</summary>
    public bool Retiring { get; set; }
    public ModelConfig? NextConfig { get; set; }

    public RestartBackoff Failures { get; } = new();

    /// <summary>Queued requests whose plan evicts this model (recounted on every queue pass).</summary>
    public int WantedGone { get; set; }

    public bool IsIdle => InFlight == 0 && Operation == SlotOperation.None && Swap is null && EvictedBy is null;
}

/// <summary>
/// A swap in flight: evict (stop or sleep) some models, then start or wake the target. Every request for the target
/// that arrives meanwhile joins it.
/// </summary>
internal sealed class Swap(ModelSlot target, ModelSlot[] evict, long startedAt)
{
    public ModelSlot Target { get; } = target;
    public ModelSlot[] Evict { get; } = evict;
    public long StartedAt { get; } = startedAt;
    public List<PendingRequest> Waiters { get; } = [];

    /// <summary>The target was asleep: it is woken, not started.</summary>
    public bool TargetWasSleeping { get; init; }

    /// <summary>Evictions not finished yet; the target starts when this reaches zero.</summary>
    public int PendingEvictions { get; set; } = evict.Length;

    /// <summary>The model this swap replaces, for the (from, to) switch cost: the most recently used evicted one.</summary>
    public string? From { get; } = MostRecentlyUsed(evict);

    private static string? MostRecentlyUsed(ModelSlot[] evict)
    {
        ModelSlot? latest = null;
        foreach (var slot in evict)
        {
            if (latest is null || slot.LastUsed > latest.LastUsed)
                latest = slot;
        }
        return latest?.Config.Id;
    }
}

/// <summary>Where the core currently keeps a request.</summary>
internal enum WaiterPlace { None, Queue, Swap }

/// <summary>
/// A request as the core sees it: which model, whether it is an explicit load, and the core's bookkeeping. The shell's
/// <see cref="Waiter"/> (the awaitable a connection holds) derives from it, so queueing one allocates nothing.
/// </summary>
internal abstract class PendingRequest
{
    public string ModelId { get; protected set; } = "";

    /// <summary>An explicit load (API or preload): granted when the model is ready, never counted in flight.</summary>
    public bool IsLoad { get; protected set; }

    /// <summary>
    /// The client has gone (its Cancelled input is on the way). The core skips such a request instead of starting a swap
    /// or granting a lease nobody will take; the shell's waiter answers it from its completion flag.
    /// </summary>
    public abstract bool IsAbandoned { get; }

    /// <summary>Who to tell about queue positions and loading (the shell calls it; the core only decides when).</summary>
    public abstract IWaitObserver? Observer { get; }

    /// <summary>Answers the request unless its client got there first; true when this answer is the one it sees (shell only).</summary>
    public abstract bool TryComplete(GateResult result);

    /// <summary>The router lets go of the request (shell only: the waiter recycles itself once every holder has).</summary>
    public abstract void Unref();

    // The core's bookkeeping.
    public int Priority { get; set; }
    public long Deadline { get; set; } = long.MaxValue;
    public int ReportedPosition { get; set; }
    public WaiterPlace Place { get; set; }
    public Swap? Swap { get; set; }

    protected void ResetBookkeeping()
    {
        Priority = 0;
        Deadline = long.MaxValue;
        ReportedPosition = 0;
        Place = WaiterPlace.None;
        Swap = null;
    }
}
