using TinySwap.Contracts;

namespace TinySwap.Router;

internal sealed partial class ModelRouter
{
    private sealed record PublishedSnapshot(int Version, IReadOnlyList<ModelStatus> Models);

    // Bumped by the loop after every input. The snapshot is rebuilt only when someone asks and it is stale, so a steady
    // stream of grants and releases costs no snapshot allocation at all.
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
        Post(RouterMessage.Snapshot(done));
        return done.Task.Wait(TimeSpan.FromSeconds(5)) ? done.Task.Result : published.Models;
    }

    private IReadOnlyList<ModelStatus> PublishSnapshot()
    {
        var version = Volatile.Read(ref _stateVersion);
        var current = Volatile.Read(ref _snapshot);
        if (current.Version == version)
            return current.Models;
        var models = _core.Describe(slot => _runtimes.TryGetValue(slot, out var runtime) ? runtime.Process.Pid : null);
        Volatile.Write(ref _snapshot, new PublishedSnapshot(version, models));
        return models;
    }
}
