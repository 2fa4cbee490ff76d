using TinySwap.Config;
using TinySwap.Contracts;

namespace TinySwap.Router;

/// <summary>What a planner may know about a model: read-only, as the loop sees it at this moment.</summary>
internal interface IPlannedModel
{
    ModelConfig Config { get; }
    ModelState State { get; }
    int InFlight { get; }

    /// <summary>Timestamp (of the router's clock) of the last grant or release; smaller is less recently used.</summary>
    long LastUsed { get; }
}

/// <summary>
/// An eviction policy: which running models must go so that a target can run. Called by the loop thread only,
/// speculatively and often (once per request and once per queued request on every queue pass), so it must be pure,
/// quick and silent. Adding a policy means implementing this and choosing it in <see cref="SwapPlanners"/>; the loop
/// never changes.
/// </summary>
internal interface ISwapPlanner
{
    /// <summary>
    /// Adds to <paramref name="evict"/> the members of <paramref name="running"/> that must stop (or sleep) before
    /// <paramref name="target"/> can serve. <paramref name="running"/> never contains the target; it holds every model
    /// that is up or on its way up or down (ready, starting, stopping, and sleeping when sleeping models count).
    /// The target itself may already be running.
    /// </summary>
    void PlanEvictions(IPlannedModel target, IReadOnlyList<IPlannedModel> running, List<IPlannedModel> evict);
}
