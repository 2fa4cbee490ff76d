namespace TinySwap.Api;

/// <summary>
/// One timer that ends the gathering pause of every open stream (<see cref="StreamPump"/>) at once. With a
/// <c>Task.Delay</c> each, ten streams under load woke the thread pool 2,000 times a second to write 10 batches every
/// 5 ms; sharing the pause wakes it once per pause, and the streams write their batches one after another there. The
/// timer runs only while a stream waits on it.
/// </summary>
internal static class CoalesceTick
{
    private static readonly Lock Gate = new();
    private static readonly Timer Timer = new(static _ => Fire(), null, Timeout.Infinite, Timeout.Infinite);
    private static TaskCompletionSource? s_next;

    /// <summary>
    /// Completes at the end of the current pause: at most <paramref name="pause"/> from now, less for a stream that
    /// joins a pause under way.
    /// </summary>
    public static Task Next(TimeSpan pause)
    {
        lock (Gate)
        {
            if (s_next is null)
            {
                s_next = new TaskCompletionSource();
                Timer.Change(pause, Timeout.InfiniteTimeSpan);
            }
            return s_next.Task;
        }
    }

    private static void Fire()
    {
        TaskCompletionSource? due;
        lock (Gate)
        {
            due = s_next;
            s_next = null;
        }
        // Continuations run here, one stream after another: each writes its batch without waiting (a send the socket
        // cannot take leaves its stream's flush pending, not this thread).
        due?.TrySetResult();
    }
}
