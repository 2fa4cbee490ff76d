using TinySwap.Config;
using TinySwap.Supervisor;
using TinySwap.Contracts;

namespace TinySwap.Router;

/// <summary>The supervisor operation a slot is waiting on; at most one at a time (the IModelProcess contract).</summary>
internal enum SlotOperation { None, Starting, Waking, Sleeping, Stopping }

/// <summary>Everything the loop knows about one model. Only the loop thread touches it.</summary>
internal sealed class ModelSlot(long serial, ModelConfig config) : IPlannedModel
{
    /// <summary>Identifies this slot in lease tickets: a release for another slot of the same id is ignored.</summary>
    public long Serial { get; } = serial;

    public ModelConfig Config { get; set; } = config;
    public IModelProcess Process { get; set; } = null!;

    /// <summary>Bumped when <see cref="Process"/> is replaced, so a late fault from the old one is ignored.</summary>
    public int ProcessGeneration { get; set; }

    public ModelState State { get; set; } = ModelState.Stopped;
    public string? FailureReason { get; set; }
    public SlotOperation Operation { get; set; }
    public CancellationTokenSource? StartCancel { get; set; }

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

    public List<TaskCompletionSource>? StopWaiters { get; set; }

    /// <summary>A reload changed or removed it: stop it once idle, then adopt <see cref="NextConfig"/> (null: remove).</summary>
    public bool Retiring { get; set; }
    public ModelConfig? NextConfig { get; set; }

    public RestartBackoff Failures { get; } = new();
    public ITimer? TtlTimer { get; set; }

    /// <summary>Queued requests whose plan evicts this model (recounted on every queue pass).</summary>
    public int WantedGone { get; set; }

    public bool IsIdle => InFlight == 0 && Operation == SlotOperation.None && Swap is null && EvictedBy is null;

    public void CompleteStopWaiters()
    {
        if (StopWaiters is not { } waiters)
            return;
        StopWaiters = null;
        foreach (var waiter in waiters)
            waiter.TrySetResult();
    }
}
