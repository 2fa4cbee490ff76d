using TinySwap.Supervisor;

namespace TinySwap.Router;

/// <summary>What the shell holds for one model: its process, a start's cancellation, its TTL timer. Loop thread only.</summary>
internal sealed class SlotRuntime(IModelProcess process, int generation)
{
    public IModelProcess Process { get; } = process;

    /// <summary>The core's process generation this process belongs to.</summary>
    public int Generation { get; } = generation;

    public CancellationTokenSource? StartCancel { get; set; }
    public ITimer? Ttl { get; set; }
}

/// <summary>Where a supervisor operation's outcome goes.</summary>
internal interface IOutcomeSink<in T>
{
    void Deliver(T outcome);
}

/// <summary>Runs one supervisor operation and delivers its outcome, whichever way it ends.</summary>
internal static class ProcessOperation
{
    public static void Run<T>(IModelProcess process, Func<IModelProcess, Task<T>> start, IOutcomeSink<T> sink, Func<Exception, T> onException)
        where T : class
    {
        Task<T> operation;
        try
        {
            operation = start(process);
        }
        catch (Exception e)
        {
            operation = Task.FromException<T>(e); // contract breach, but the slot must still leave its operation
        }
        var context = new Completion<T>(sink, onException);
        if (operation.IsCompleted)
            context.Complete(operation);
        else
            operation.ContinueWith(static (task, state) => ((Completion<T>)state!).Complete(task), context,
                CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private sealed class Completion<T>(IOutcomeSink<T> sink, Func<Exception, T> onException) where T : class
    {
        public void Complete(Task<T> task)
        {
            // The contract says operations never throw; if one does anyway, it still ends as an outcome, never a hang.
            var outcome = task.IsCompletedSuccessfully ? task.Result : onException(task.Exception?.InnerException ?? new TaskCanceledException());
            sink.Deliver(outcome);
        }
    }
}
