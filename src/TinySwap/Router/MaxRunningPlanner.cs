namespace TinySwap.Router;

/// <summary>`maxRunning: N`: at most N models up; evicts in <see cref="EvictionOrder"/> (idle, least recently used first).</summary>
internal sealed class MaxRunningPlanner(int maxRunning) : ISwapPlanner
{
    private readonly List<IPlannedModel> _ordered = [];

    public int MaxRunning { get; } = Math.Max(1, maxRunning);

    public void PlanEvictions(IPlannedModel target, IReadOnlyList<IPlannedModel> running, List<IPlannedModel> evict)
    {
        // `running` excludes the target, which needs one place whether or not it is already up.
        var excess = running.Count + 1 - MaxRunning;
        if (excess <= 0)
            return;
        EvictionOrder.Sort(running, _ordered);
        for (var i = 0; i < excess; i++)
            evict.Add(_ordered[i]);
    }
}
