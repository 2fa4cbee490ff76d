using System.Collections.Concurrent;
using System.Threading.Tasks.Sources;
using TinySwap.Contracts;

namespace TinySwap.Router;

/// <summary>
/// One request waiting for a model: the awaitable its connection handler holds and the entry the loop queues.
/// Completion is a race between the loop (grant or refusal) and the client's cancellation; exactly one side wins the
/// compare-and-swap on <c>_status</c>. The loop counts a request in flight only when its grant won, which is the .NET
/// form of llama-swap's unbuffered-channel send: a grant that lands proves a live waiter that will release it.
/// </summary>
internal sealed class Waiter : PendingRequest, IValueTaskSource<GateResult>
{
    private const int Pending = 0;
    private const int Completed = 1;

    private ManualResetValueTaskSourceCore<GateResult> _core = new() { RunContinuationsAsynchronously = true };
    private readonly WaiterPool? _pool;
    private ModelRouter? _router;
    private CancellationTokenRegistration _registration;
    private CancellationToken _aborted;
    private int _status;

    // Who still holds this object: the caller until GetResult, the loop until it drops the waiter, and a cancellation
    // message in transit. It returns to the pool only when all have let go, so no stale reference can ever complete
    // (or count) a recycled waiter.
    private int _refs;

    public Waiter(WaiterPool? pool) => _pool = pool;

    private IWaitObserver? _observer;

    public override IWaitObserver? Observer => _observer;

    public bool IsCompleted => Volatile.Read(ref _status) != Pending;

    public override bool IsAbandoned => IsCompleted;

    public ValueTask<GateResult> Task => new(this, _core.Version);

    public void Prepare(ModelRouter router, string modelId, IWaitObserver? observer, bool isLoad, CancellationToken aborted)
    {
        _router = router;
        ModelId = modelId;
        _observer = observer;
        IsLoad = isLoad;
        _aborted = aborted;
        _refs = 2; // the caller and the message that carries it to the loop
        if (aborted.CanBeCanceled)
            _registration = aborted.UnsafeRegister(static state => ((Waiter)state!).OnAborted(), this);
    }

    /// <summary>Completes the waiter unless its client got there first; true when this result is the one it sees.</summary>
    public override bool TryComplete(GateResult result)
    {
        if (Interlocked.CompareExchange(ref _status, Completed, Pending) != Pending)
            return false;
        _core.SetResult(result);
        return true;
    }

    private void OnAborted()
    {
        if (Interlocked.CompareExchange(ref _status, Completed, Pending) != Pending)
            return;
        // The caller's reference is still held (its result is not set yet), so taking one more here is safe.
        Interlocked.Increment(ref _refs);
        _router!.Post(RouterMessage.Of(RouterInput.Cancelled(0, this)));
        _core.SetException(new OperationCanceledException(_aborted));
    }

    /// <summary>Drops one holder's reference; the last one recycles the waiter.</summary>
    public override void Unref()
    {
        if (Interlocked.Decrement(ref _refs) != 0)
            return;
        if (_pool is null)
            return;
        _core.Reset();
        _registration = default;
        _aborted = default;
        _router = null;
        _observer = null;
        ModelId = "";
        ResetBookkeeping();
        Volatile.Write(ref _status, Pending);
        _pool.Return(this);
    }

    public GateResult GetResult(short token)
    {
        try
        {
            return _core.GetResult(token);
        }
        finally
        {
            // Dispose (not Unregister) waits for a callback running elsewhere, so none can touch a recycled waiter.
            _registration.Dispose();
            Unref();
        }
    }

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}

/// <summary>A small lock-free pool so the fast path allocates no waiter.</summary>
internal sealed class WaiterPool(int capacity = 256)
{
    private readonly ConcurrentQueue<Waiter> _free = new();
    private int _count;

    public Waiter Rent()
    {
        if (_free.TryDequeue(out var waiter))
        {
            Interlocked.Decrement(ref _count);
            return waiter;
        }
        return new Waiter(this);
    }

    public void Return(Waiter waiter)
    {
        if (Interlocked.Increment(ref _count) <= capacity)
            _free.Enqueue(waiter);
        else
            Interlocked.Decrement(ref _count);
    }
}
