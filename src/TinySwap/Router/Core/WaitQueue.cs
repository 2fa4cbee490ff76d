namespace TinySwap.Router;

/// <summary>
/// Requests that cannot proceed yet, highest priority first and FIFO within a priority. The loop walks it in order on
/// every pass, so requests for a model collate behind the first one (ABAB is served AABB). Loop thread only.
/// </summary>
internal sealed class WaitQueue
{
    private List<PendingRequest> _items = [];
    private List<PendingRequest> _spare = [];

    public int Count => _items.Count;
    public PendingRequest this[int index] => _items[index];

    public void Enqueue(PendingRequest waiter)
    {
        var index = _items.Count;
        while (index > 0 && _items[index - 1].Priority < waiter.Priority)
            index--;
        _items.Insert(index, waiter);
        waiter.Place = WaiterPlace.Queue;
    }

    public bool Remove(PendingRequest waiter)
    {
        if (!_items.Remove(waiter))
            return false;
        waiter.Place = WaiterPlace.None;
        return true;
    }

    /// <summary>Takes every queued waiter out, in order, for a pass that re-queues those still blocked.</summary>
    public List<PendingRequest> TakeAll()
    {
        var taken = _items;
        _items = _spare;
        _spare = taken;
        foreach (var waiter in taken)
            waiter.Place = WaiterPlace.None;
        return taken;
    }

    /// <summary>Re-appends a waiter taken by <see cref="TakeAll"/>; the pass keeps the original order.</summary>
    public void Requeue(PendingRequest waiter)
    {
        _items.Add(waiter);
        waiter.Place = WaiterPlace.Queue;
    }
}
