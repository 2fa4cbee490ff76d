using System.Collections.Concurrent;
using TinySwap.Config;
using TinySwap.Supervisor;
using TinySwap.Contracts;

namespace TinySwap.Router;

internal sealed partial class ModelRouter
{
    private readonly Thread _thread;
    private readonly ConcurrentQueue<RouterMessage> _inbox = new();
    private readonly ManualResetEventSlim _wake = new(false);
    private volatile bool _exited;

    // ---- Loop-owned state: read and written only on _thread. ----
    private ISwapPlanner _planner;
    private readonly Dictionary<string, ModelSlot> _slots = new(StringComparer.Ordinal);
    private readonly WaitQueue _queue = new();
    private readonly List<Swap> _swaps = [];
    private readonly SwitchCostTracker _costs = new();
    private long _nextSerial;
    private bool _queueDirty;
    private bool _positionsDirty;

    // A barrier re-queues itself behind newer messages at most this often, so a busy loop cannot starve it forever.
    private const long MaxBarrierRounds = 1000;

    /// <summary>Hands a message to the loop; any thread, never blocks.</summary>
    internal void Post(in RouterMessage message)
    {
        _inbox.Enqueue(message);
        _wake.Set();
        // Enqueue is a full fence and the loop sets _exited before its last look at the inbox, so a message posted
        // after that look is seen here and answered on this thread rather than left waiting forever.
        if (_exited)
            AnswerAfterExit();
    }

    private void Run()
    {
        while (true)
        {
            _wake.Wait();
            // Reset before draining: a Set that races with the drain leaves the event set, costing one empty pass.
            _wake.Reset();
            while (_inbox.TryDequeue(out var message))
            {
                if (message.Kind == RouterMessageKind.Exit)
                {
                    DisposeTimers();
                    _exited = true;
                    Interlocked.MemoryBarrier();
                    AnswerAfterExit();
                    return;
                }
                try
                {
                    Handle(message);
                    AfterChange();
                }
                catch (Exception e)
                {
                    // A bug here must not take down the thread that owns every model; log it loudly and go on.
                    RouterLog.LoopFault(_log, message.Kind, e);
                }
                if (message.Kind is not (RouterMessageKind.Barrier or RouterMessageKind.Snapshot))
                    Volatile.Write(ref _stateVersion, _stateVersion + 1);
                _options.OnMessageProcessed?.Invoke(message.Kind);
            }
        }
    }

    private void Handle(in RouterMessage message)
    {
        switch (message.Kind)
        {
            case RouterMessageKind.Acquire:
                OnAcquire((Waiter)message.Subject!);
                break;
            case RouterMessageKind.Load:
                OnLoad((Waiter)message.Subject!);
                break;
            case RouterMessageKind.Release:
                OnRelease((ModelConfig)message.Subject!, message.Number);
                break;
            case RouterMessageKind.WaiterCancelled:
                OnWaiterCancelled((Waiter)message.Subject!);
                break;
            case RouterMessageKind.StartDone:
                if (IsCurrent(message))
                    OnStartDone((ModelSlot)message.Subject!, (StartOutcome)message.Payload!);
                break;
            case RouterMessageKind.SleepDone:
                if (IsCurrent(message))
                    OnSleepDone((ModelSlot)message.Subject!, (HookOutcome)message.Payload!);
                break;
            case RouterMessageKind.StopDone:
                if (IsCurrent(message))
                    OnStopDone((ModelSlot)message.Subject!, (StopOutcome)message.Payload!);
                break;
            case RouterMessageKind.Fault:
                if (IsCurrent(message))
                    OnFault((ModelSlot)message.Subject!, (ModelFault)message.Payload!);
                break;
            case RouterMessageKind.TimerDue:
                OnTimerDue(message.Subject as ModelSlot);
                break;
            case RouterMessageKind.Unload:
                OnUnload(message.Subject as string, (TaskCompletionSource<bool>)message.Payload!);
                break;
            case RouterMessageKind.Reload:
                OnReload((TinySwapConfig)message.Subject!, (TaskCompletionSource)message.Payload!);
                break;
            case RouterMessageKind.Shutdown:
                OnShutdown((TimeSpan)message.Subject!, (TaskCompletionSource)message.Payload!);
                break;
            case RouterMessageKind.Snapshot:
                ((TaskCompletionSource<IReadOnlyList<ModelStatus>>)message.Payload!).TrySetResult(PublishSnapshot());
                break;
            case RouterMessageKind.Barrier:
                // Work that this round of messages posted (operations that completed at once) is part of "settled".
                if (!_inbox.IsEmpty && message.Number < MaxBarrierRounds)
                    Post(new RouterMessage(RouterMessageKind.Barrier, null, message.Payload, message.Number + 1));
                else
                    ((TaskCompletionSource)message.Payload!).TrySetResult();
                break;
        }
    }

    // A completion or fault from a process that a reload has since replaced says nothing about the current one.
    private static bool IsCurrent(in RouterMessage message) =>
        ((ModelSlot)message.Subject!).ProcessGeneration == (int)message.Number;

    /// <summary>The follow-up every change may need: retire idle models, move a shutdown on, re-examine the queue.</summary>
    private void AfterChange()
    {
        RetireIdleModels();
        AdvanceShutdown();
        if (_queueDirty)
            PassQueue();
        if (_positionsDirty)
            BroadcastPositions();
    }

    /// <summary>After the loop has ended: refuse what waits, complete what expects completion.</summary>
    private void AnswerAfterExit()
    {
        while (_inbox.TryDequeue(out var message))
        {
            switch (message.Subject, message.Payload)
            {
                case (Waiter waiter, _) when message.Kind is RouterMessageKind.Acquire or RouterMessageKind.Load:
                    Refuse(waiter, RouterRefusals.ShuttingDown);
                    break;
                case (Waiter waiter, _) when message.Kind == RouterMessageKind.WaiterCancelled:
                    waiter.Unref();
                    break;
                case (_, TaskCompletionSource done):
                    done.TrySetResult();
                    break;
                case (_, TaskCompletionSource<bool> done):
                    done.TrySetResult(false);
                    break;
                case (_, TaskCompletionSource<IReadOnlyList<ModelStatus>> done):
                    done.TrySetResult(Volatile.Read(ref _snapshot).Models);
                    break;
            }
        }
    }

    /// <summary>Runs a supervisor operation and posts its outcome back to the loop as <paramref name="kind"/>.</summary>
    private void Track<T>(ModelSlot slot, Func<Task<T>> start, RouterMessageKind kind, Func<Exception, T> onException)
        where T : class
    {
        var context = new OperationContext<T>(this, slot, kind, slot.ProcessGeneration, onException);
        Task<T> operation;
        try
        {
            operation = start();
        }
        catch (Exception e)
        {
            operation = Task.FromException<T>(e); // contract breach, but the slot must still leave its operation
        }
        if (operation.IsCompleted)
            context.Complete(operation);
        else
            operation.ContinueWith(static (task, state) => ((OperationContext<T>)state!).Complete(task), context,
                CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private sealed class OperationContext<T>(ModelRouter router, ModelSlot slot, RouterMessageKind kind, int generation,
        Func<Exception, T> onException) where T : class
    {
        public void Complete(Task<T> task)
        {
            // The contract says operations never throw; if one does anyway, it still ends as an outcome, never a hang.
            var outcome = task.IsCompletedSuccessfully ? task.Result : onException(task.Exception?.InnerException ?? new TaskCanceledException());
            router.Post(new RouterMessage(kind, slot, outcome, generation));
        }
    }

    private long Now => _time.GetTimestamp();

    private long ToTimestampSpan(TimeSpan span)
    {
        if (span <= TimeSpan.Zero)
            return 0;
        var ticks = span.TotalSeconds * _time.TimestampFrequency;
        return ticks >= long.MaxValue / 4 ? long.MaxValue / 4 : (long)ticks;
    }

    private TimeSpan Between(long from, long to) => _time.GetElapsedTime(from, to);
}
