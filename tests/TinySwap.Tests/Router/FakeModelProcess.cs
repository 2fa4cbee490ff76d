using TinySwap.Config;
using TinySwap.Supervisor;

namespace TinySwap.Tests.Router;

/// <summary>
/// A model server whose every operation completes when the test says so. Continuations run synchronously, so the
/// router's completion message is posted before Complete… returns; a flush of the router then sees it handled.
/// </summary>
internal sealed class FakeModelProcess(ModelConfig config, Action<ModelFault> onFault) : IModelProcess
{
    private static int s_nextPid = 1000;
    private TaskCompletionSource<StartOutcome>? _start;
    private TaskCompletionSource<HookOutcome>? _sleep;
    private TaskCompletionSource<StopOutcome>? _stop;
    private int _concurrentOperations;

    public ModelConfig Config { get; } = config;
    public int? Pid { get; private set; }
    public List<string> Calls { get; } = [];

    /// <summary>Stops (and sleeps) complete at once unless a test wants to hold them.</summary>
    public bool AutoStop { get; set; } = true;

    /// <summary>A cancelled start fails at once, as the supervisor's does; off, the test decides how it ends.</summary>
    public bool HonourCancellation { get; set; } = true;

    public CancellationToken StartCancellation { get; private set; }
    public bool IsStarting => _start is not null;
    public bool IsStopping => _stop is not null;
    public bool IsSleeping => _sleep is not null;

    /// <summary>True if the router ever ran two operations at once on this process (the contract forbids it).</summary>
    public bool OverlapSeen { get; private set; }

    public Task<StartOutcome> StartAsync(CancellationToken cancel) => BeginStart("start", cancel);
    public Task<StartOutcome> WakeAsync(CancellationToken cancel) => BeginStart("wake", cancel);

    public Task<HookOutcome> SleepAsync(CancellationToken cancel)
    {
        Enter("sleep");
        _sleep = new TaskCompletionSource<HookOutcome>();
        var task = _sleep.Task;
        if (AutoStop)
            CompleteSleep();
        return task;
    }

    public Task<StopOutcome> StopAsync(StopReason reason)
    {
        Enter($"stop:{reason}");
        _stop = new TaskCompletionSource<StopOutcome>();
        var task = _stop.Task;
        if (AutoStop)
            CompleteStop();
        return task;
    }

    public IReadOnlyList<string> RecentOutput(int maxLines) => [];

    public void CompleteStart()
    {
        Pid ??= Interlocked.Increment(ref s_nextPid);
        Take(ref _start).SetResult(StartOutcome.Ready(TimeSpan.FromMilliseconds(5)));
    }

    public void FailStart(string reason, int? exitCode = 1) =>
        Take(ref _start).SetResult(StartOutcome.Failed(reason, exitCode, TimeSpan.FromMilliseconds(5)));

    public void CompleteSleep(bool succeeded = true) =>
        Take(ref _sleep).SetResult(new HookOutcome(succeeded, succeeded ? 0 : 1, false, TimeSpan.FromMilliseconds(1)));

    public void CompleteStop()
    {
        Pid = null;
        Take(ref _stop).SetResult(new StopOutcome(false, 0, TimeSpan.FromMilliseconds(1)));
    }

    /// <summary>Reports a crash (or a failed `alive` check) the way the supervisor does, from another thread.</summary>
    public void Crash(string reason) => onFault(new ModelFault(Config.Id, reason, 139));

    /// <summary>Makes the next start throw, breaking the contract, to show the router survives it.</summary>
    public Exception? StartThrows { get; set; }

    private Task<StartOutcome> BeginStart(string call, CancellationToken cancel)
    {
        if (StartThrows is { } exception)
            throw exception;
        Enter(call);
        StartCancellation = cancel;
        _start = new TaskCompletionSource<StartOutcome>();
        var task = _start.Task;
        cancel.Register(() =>
        {
            if (HonourCancellation && _start?.Task == task)
                FailStart("start cancelled", null);
        });
        return task;
    }

    private void Enter(string call)
    {
        lock (Calls)
            Calls.Add(call);
        if (Interlocked.Increment(ref _concurrentOperations) > 1)
            OverlapSeen = true;
    }

    private TaskCompletionSource<T> Take<T>(ref TaskCompletionSource<T>? pending)
    {
        var taken = pending ?? throw new InvalidOperationException($"{Config.Id}: no such operation is pending");
        pending = null;
        Interlocked.Decrement(ref _concurrentOperations);
        return taken;
    }
}

/// <summary>Creates fake processes and remembers every one, newest last per model.</summary>
internal sealed class FakeProcessFactory : IModelProcessFactory
{
    private readonly Dictionary<string, List<FakeModelProcess>> _created = [];

    public IModelProcess Create(ModelConfig config, Action<ModelFault> onFault)
    {
        var process = new FakeModelProcess(config, onFault);
        lock (_created)
        {
            if (!_created.TryGetValue(config.Id, out var list))
                _created[config.Id] = list = [];
            list.Add(process);
        }
        return process;
    }

    public FakeModelProcess Latest(string modelId)
    {
        lock (_created)
            return _created[modelId][^1];
    }

    public IReadOnlyList<FakeModelProcess> All()
    {
        lock (_created)
            return [.. _created.Values.SelectMany(list => list)];
    }

    public int CreatedCount(string modelId)
    {
        lock (_created)
            return _created.TryGetValue(modelId, out var list) ? list.Count : 0;
    }
}
