using TinySwap.Contracts;

namespace TinySwap.Router;

internal sealed partial class RouterCore
{
    /// <summary>Every model as the core sees it now, sorted by id; <paramref name="pidOf"/> supplies the pids the shell knows.</summary>
    public ModelStatus[] Describe(Func<ModelSlot, int?> pidOf)
    {
        var waiting = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < _queue.Count; i++)
            waiting[_queue[i].ModelId] = waiting.GetValueOrDefault(_queue[i].ModelId) + 1;
        foreach (var swap in _swaps)
            waiting[swap.Target.Config.Id] = waiting.GetValueOrDefault(swap.Target.Config.Id) + swap.Waiters.Count;

        var models = new ModelStatus[_slots.Count];
        var index = 0;
        foreach (var slot in _slots.Values)
        {
            var running = slot.State is not (ModelState.Stopped or ModelState.Failed or ModelState.ShutDown);
            models[index++] = new ModelStatus(slot.Config.Id, slot.State, running ? pidOf(slot) : null, slot.InFlight,
                waiting.GetValueOrDefault(slot.Config.Id), slot.FailureReason);
        }
        Array.Sort(models, static (a, b) => string.CompareOrdinal(a.Id, b.Id));
        return models;
    }
}
