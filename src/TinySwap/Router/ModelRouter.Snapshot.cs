using TinySwap.Contracts;

namespace TinySwap.Router;

internal sealed partial class ModelRouter
{
    private sealed record PublishedSnapshot(int Version, IReadOnlyList<ModelStatus> Models);

    // Bumped by the loop after every message that may change state. The snapshot is rebuilt only when someone asks
    // and it is stale, so a steady stream of grants and releases costs no snapshot allocation at all.
    private int _stateVersion;
    private PublishedSnapshot _snapshot = new(-1, []);

    /// <summary>
    /// Every model as the loop last saw it, sorted by id: one consistent picture, never a mix of two moments.
    /// A stale snapshot is rebuilt by the loop (a short wait for the caller; the loop never blocks).
    /// </summary>
    public IReadOnlyList<ModelStatus> Snapshot()
    {
        var published = Volatile.Read(ref _snapshot);
        if (published.Version == Volatile.Read(ref _stateVersion))
            return published.Models;
        // Before the loop starts and after it ends nothing else touches the state; on the loop itself, build in place.
        if (!_thread.IsAlive || Environment.CurrentManagedThreadId == _thread.ManagedThreadId)
            return PublishSnapshot();
        var done = new TaskCompletionSource<IReadOnlyList<ModelStatus>>(TaskCreationOptions.RunContinuationsAsynchronously);
        Post(new RouterMessage(RouterMessageKind.Snapshot, null, done));
        return done.Task.Wait(TimeSpan.FromSeconds(5)) ? done.Task.Result : published.Models;
    }

    private IReadOnlyList<ModelStatus> PublishSnapshot()
    {
        var version = Volatile.Read(ref _stateVersion);
        var current = Volatile.Read(ref _snapshot);
        if (current.Version == version)
            return current.Models;

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
            models[index++] = new ModelStatus(slot.Config.Id, slot.State, running ? slot.Process.Pid : null, slot.InFlight,
                waiting.GetValueOrDefault(slot.Config.Id), slot.FailureReason);
        }
        Array.Sort(models, static (a, b) => string.CompareOrdinal(a.Id, b.Id));
        Volatile.Write(ref _snapshot, new PublishedSnapshot(version, models));
        return models;
    }
}
