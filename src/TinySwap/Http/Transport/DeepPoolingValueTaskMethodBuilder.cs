using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading.Tasks.Sources;

namespace TinySwap.Http.Transport;

/// <summary>
/// An async method builder like <see cref="PoolingAsyncValueTaskMethodBuilder{TResult}"/>, with a deeper pool: the
/// runtime's keeps one state-machine box per thread and one per core for each method, so with 32 connections suspended
/// in the same method on our one event thread (<see cref="InlineSocketCompletions"/>) 29 of every 32 boxes missed it
/// and were allocated again: ~2 KB per request over the request path's methods, ~58 gen0 collections a second on the
/// event thread under load. This one keeps up to <see cref="BoxesPerThread"/> boxes per method on each thread, enough
/// for every connection of a busy proxy to find one. Behaviour is the runtime's otherwise: the box runs the method's
/// continuations under the execution context captured when it suspended, and goes back to the pool once its result has
/// been read, so its ValueTask may be awaited once only.
/// </summary>
[StructLayout(LayoutKind.Auto)]
internal struct DeepPoolingValueTaskMethodBuilder<TResult>
{
    /// <summary>Boxes kept per method and thread: above the bench's 32 connections, small next to a connection's buffers.</summary>
    internal const int BoxesPerThread = 64;

    private PooledStateMachineBox<TResult>? _box;
    private TResult _result;
    private Exception? _exception;

    public static DeepPoolingValueTaskMethodBuilder<TResult> Create() => default;

    public readonly ValueTask<TResult> Task =>
        _box is { } box ? new ValueTask<TResult>(box, box.Version)
        : _exception is { } exception ? ValueTask.FromException<TResult>(exception)
        : new ValueTask<TResult>(_result);

    internal readonly PooledStateMachineBox<TResult>? Box => _box;
    internal readonly Exception? Exception => _exception;

    public void Start<TStateMachine>(ref TStateMachine stateMachine) where TStateMachine : IAsyncStateMachine =>
        // The runtime's Start: runs the method to its first suspension, restoring the caller's contexts afterwards.
        AsyncValueTaskMethodBuilder.Create().Start(ref stateMachine);

    public readonly void SetStateMachine(IAsyncStateMachine stateMachine)
    {
    }

    public void SetResult(TResult result)
    {
        if (_box is null)
            _result = result;
        else
            _box.SetResult(result);
    }

    public void SetException(Exception exception)
    {
        if (_box is null)
            _exception = exception;
        else
            _box.SetException(exception);
    }

    public void AwaitOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
        where TAwaiter : INotifyCompletion where TStateMachine : IAsyncStateMachine =>
        awaiter.OnCompleted(BoxFor(ref stateMachine).MoveNextAction);

    public void AwaitUnsafeOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
        where TAwaiter : ICriticalNotifyCompletion where TStateMachine : IAsyncStateMachine =>
        awaiter.UnsafeOnCompleted(BoxFor(ref stateMachine).MoveNextAction);

    private PooledStateMachineBox<TResult, TStateMachine> BoxFor<TStateMachine>(ref TStateMachine stateMachine)
        where TStateMachine : IAsyncStateMachine
    {
        var context = ExecutionContext.Capture();
        if (_box is PooledStateMachineBox<TResult, TStateMachine> suspendedBefore)
        {
            suspendedBefore.Context = context;
            return suspendedBefore;
        }
        var box = PooledStateMachineBox<TResult, TStateMachine>.Rent();
        // Before the copy: the state machine's own builder (this one) must point at the box the copy will run in.
        _box = box;
        box.StateMachine = stateMachine;
        box.Context = context;
        return box;
    }
}

/// <summary><see cref="DeepPoolingValueTaskMethodBuilder{TResult}"/> for methods returning a plain <see cref="ValueTask"/>.</summary>
[StructLayout(LayoutKind.Auto)]
internal struct DeepPoolingValueTaskMethodBuilder
{
    private DeepPoolingValueTaskMethodBuilder<NoResult> _builder;

    public static DeepPoolingValueTaskMethodBuilder Create() => default;

    public readonly ValueTask Task =>
        _builder.Box is { } box ? new ValueTask(box, box.Version)
        : _builder.Exception is { } exception ? ValueTask.FromException(exception)
        : default;

    public void Start<TStateMachine>(ref TStateMachine stateMachine) where TStateMachine : IAsyncStateMachine =>
        _builder.Start(ref stateMachine);

    public readonly void SetStateMachine(IAsyncStateMachine stateMachine)
    {
    }

    public void SetResult() => _builder.SetResult(default);

    public void SetException(Exception exception) => _builder.SetException(exception);

    public void AwaitOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
        where TAwaiter : INotifyCompletion where TStateMachine : IAsyncStateMachine =>
        _builder.AwaitOnCompleted(ref awaiter, ref stateMachine);

    public void AwaitUnsafeOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
        where TAwaiter : ICriticalNotifyCompletion where TStateMachine : IAsyncStateMachine =>
        _builder.AwaitUnsafeOnCompleted(ref awaiter, ref stateMachine);

    internal readonly struct NoResult;
}

/// <summary>The heap home of a suspended async method: its state machine, and the ValueTask source its caller awaits.</summary>
internal abstract class PooledStateMachineBox<TResult> : IValueTaskSource<TResult>, IValueTaskSource
{
    private ManualResetValueTaskSourceCore<TResult> _completion;

    public short Version => _completion.Version;

    public void SetResult(TResult result) => _completion.SetResult(result);

    public void SetException(Exception exception) => _completion.SetException(exception);

    public TResult GetResult(short token)
    {
        try
        {
            return _completion.GetResult(token);
        }
        finally
        {
            // The awaiter has its result: the next token is a new call's, so the box may serve one.
            _completion.Reset();
            ReturnToPool();
        }
    }

    void IValueTaskSource.GetResult(short token) => GetResult(token);

    public ValueTaskSourceStatus GetStatus(short token) => _completion.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _completion.OnCompleted(continuation, state, token, flags);

    protected abstract void ReturnToPool();
}

internal sealed class PooledStateMachineBox<TResult, TStateMachine> : PooledStateMachineBox<TResult>
    where TStateMachine : IAsyncStateMachine
{
    [ThreadStatic] private static PooledStateMachineBox<TResult, TStateMachine>?[]? t_pool;
    [ThreadStatic] private static int t_pooled;

    private static readonly ContextCallback s_moveNext = static box => ((PooledStateMachineBox<TResult, TStateMachine>)box!).StateMachine.MoveNext();

    public TStateMachine StateMachine = default!;
    public ExecutionContext? Context;
    public readonly Action MoveNextAction;

    private PooledStateMachineBox() => MoveNextAction = MoveNext;

    public static PooledStateMachineBox<TResult, TStateMachine> Rent()
    {
        var pool = t_pool;
        if (pool is null || t_pooled == 0)
            return new PooledStateMachineBox<TResult, TStateMachine>();
        var index = --t_pooled;
        var box = pool[index]!;
        pool[index] = null;
        return box;
    }

    private void MoveNext()
    {
        if (Context is { } context)
            ExecutionContext.Run(context, s_moveNext, this);
        else
            StateMachine.MoveNext();   // flow suppressed when it suspended
    }

    protected override void ReturnToPool()
    {
        // Drop what the finished call referenced, so a pooled box keeps nothing alive.
        StateMachine = default!;
        Context = null;
        var pool = t_pool ??= new PooledStateMachineBox<TResult, TStateMachine>?[DeepPoolingValueTaskMethodBuilder<TResult>.BoxesPerThread];
        if (t_pooled < pool.Length)
            pool[t_pooled++] = this;
    }
}
