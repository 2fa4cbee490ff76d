namespace TinySwap.Router;

/// <summary>
/// `resources`: named budgets (vram_mb, ram_mb, ...) and per-model needs. Evicts in <see cref="EvictionOrder"/>
/// (idle, least recently used first), skipping models that free nothing the target lacks, until the target fits.
/// A need for a resource without a budget is not limited. (The loader rejects a model that can never fit.)
/// </summary>
internal sealed class ResourcePlanner(IReadOnlyDictionary<string, long> budgets) : ISwapPlanner
{
    private readonly List<IPlannedModel> _ordered = [];
    private readonly Dictionary<string, long> _used = new(StringComparer.Ordinal);

    public void PlanEvictions(IPlannedModel target, IReadOnlyList<IPlannedModel> running, List<IPlannedModel> evict)
    {
        _used.Clear();
        for (var i = 0; i < running.Count; i++)
            Add(running[i], +1);
        Add(target, +1);
        if (Fits())
            return;

        EvictionOrder.Sort(running, _ordered);
        foreach (var candidate in _ordered)
        {
            if (!FreesSomethingShort(candidate))
                continue;
            evict.Add(candidate);
            Add(candidate, -1);
            if (Fits())
                return;
        }
    }

    private void Add(IPlannedModel model, int sign)
    {
        foreach (var (name, amount) in model.Config.Resources)
        {
            if (budgets.ContainsKey(name))
                _used[name] = _used.GetValueOrDefault(name) + sign * amount;
        }
    }

    private bool Fits()
    {
        foreach (var (name, used) in _used)
        {
            if (used > budgets[name])
                return false;
        }
        return true;
    }

    private bool FreesSomethingShort(IPlannedModel model)
    {
        foreach (var (name, amount) in model.Config.Resources)
        {
            if (amount > 0 && budgets.TryGetValue(name, out var budget) && _used.GetValueOrDefault(name) > budget)
                return true;
        }
        return false;
    }
}
