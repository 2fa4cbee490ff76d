using TinySwap.Contracts;

namespace TinySwap.Router;

/// <summary>
/// The order in which the capacity planners (maxRunning, resources) give up models: those already stopping cost
/// nothing more, then idle models least recently used first, then busy ones (the loop will wait for them to drain),
/// and last the models still starting for another swap (choosing them makes the request wait for that swap).
/// </summary>
internal sealed class EvictionOrder : IComparer<IPlannedModel>
{
    public static readonly EvictionOrder Instance = new();

    public int Compare(IPlannedModel? x, IPlannedModel? y)
    {
        var byRank = Rank(x!).CompareTo(Rank(y!));
        if (byRank != 0)
            return byRank;
        var byUse = x!.LastUsed.CompareTo(y!.LastUsed);
        return byUse != 0 ? byUse : string.CompareOrdinal(x.Config.Id, y!.Config.Id);
    }

    private static int Rank(IPlannedModel model) => model.State switch
    {
        ModelState.Stopping => 0,
        ModelState.Starting => 3,
        _ => model.InFlight == 0 ? 1 : 2,
    };

    /// <summary>Copies <paramref name="running"/> into <paramref name="scratch"/> in eviction order.</summary>
    public static void Sort(IReadOnlyList<IPlannedModel> running, List<IPlannedModel> scratch)
    {
        scratch.Clear();
        for (var i = 0; i < running.Count; i++)
            scratch.Add(running[i]);
        scratch.Sort(Instance);
    }
}
