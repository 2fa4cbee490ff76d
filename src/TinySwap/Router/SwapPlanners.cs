using TinySwap.Config;
using TinySwap.Router.Matrix;

namespace TinySwap.Router;

/// <summary>
/// Picks the eviction policy from the config. The matrix, when chosen, is alone (the config refuses it beside the others).
/// Else: `maxRunning` (when set) → <see cref="MaxRunningPlanner"/>;
/// else `resources` (when any budget is set) → <see cref="ResourcePlanner"/>; else `groups` → <see cref="GroupPlanner"/>.
/// When both maxRunning and resources are set, a model must satisfy both: the evictions of the two are united.
/// </summary>
internal static class SwapPlanners
{
    public static ISwapPlanner FromConfig(TinySwapConfig config, RouterOptions options)
    {
        if (config.Matrix is { } matrix)
            return new MatrixPlanner(new MatrixSolver(matrix.Program, matrix.EvictCosts));
        var byCount = config.MaxRunning is { } max ? new MaxRunningPlanner(max) : null;
        var byResources = config.Resources.Count == 0 ? null : new ResourcePlanner(config.Resources);
        return (byCount, byResources) switch
        {
            (not null, not null) => new CombinedPlanner(byCount, byResources),
            (not null, null) => byCount,
            (null, not null) => byResources,
            _ => new GroupPlanner(config),
        };
    }
}

/// <summary>Two policies that must both be satisfied: the union of their evictions.</summary>
internal sealed class CombinedPlanner(ISwapPlanner first, ISwapPlanner second) : ISwapPlanner
{
    private readonly List<IPlannedModel> _secondEvictions = [];
    private readonly List<IPlannedModel> _remaining = [];

    public void PlanEvictions(IPlannedModel target, IReadOnlyList<IPlannedModel> running, List<IPlannedModel> evict)
    {
        var start = evict.Count;
        first.PlanEvictions(target, running, evict);

        // The second policy plans over what the first leaves running, so it never counts a model that is going anyway.
        _remaining.Clear();
        foreach (var model in running)
        {
            if (evict.IndexOf(model, start) < 0)
                _remaining.Add(model);
        }
        _secondEvictions.Clear();
        second.PlanEvictions(target, _remaining, _secondEvictions);
        evict.AddRange(_secondEvictions);
    }
}
