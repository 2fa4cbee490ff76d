namespace TinySwap.Router;

/// <summary>
/// A swap in flight: evict (stop or sleep) some models, then start or wake the target. Every request for the target
/// that arrives meanwhile joins it. Owned by the loop thread.
/// </summary>
internal sealed class Swap(ModelSlot target, ModelSlot[] evict, long startedAt)
{
    public ModelSlot Target { get; } = target;
    public ModelSlot[] Evict { get; } = evict;
    public long StartedAt { get; } = startedAt;
    public List<Waiter> Waiters { get; } = [];

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
