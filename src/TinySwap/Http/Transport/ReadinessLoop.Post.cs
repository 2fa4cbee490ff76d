using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using TinySwap.Native;

namespace TinySwap.Http.Transport;

internal static unsafe partial class ReadinessLoop
{
    // The eventfd's event data: no socket slot and generation can be all ones.
    private const ulong WakeUpData = ulong.MaxValue;

    private static readonly ConcurrentQueue<Action> s_posted = new();
    private static int s_wakeUpFd = -1;
    private static int s_wakeUpPending;
    private static int s_threadId = -1;

    /// <summary>
    /// Continues the awaiting method on the loop's thread. An accepted connection switches here before its first read,
    /// so every request is handled on the one thread: one handled on the accepting thread would race the loop, as a
    /// request finishing there (and releasing its concurrency place) against the next one on a fresh connection.
    /// </summary>
    public static LoopSwitch SwitchTo() => default;

    private static bool TryAddWakeUp(int epoll, out int errno)
    {
        errno = 0;
        var fd = Sys.eventfd(0, Sys.EFD_CLOEXEC | Sys.EFD_NONBLOCK);
        if (fd < 0)
        {
            errno = Sys.errno;
            return false;
        }
        var ev = new Tmds.Linux.epoll_event { events = LibC.EPOLLIN, data = new Tmds.Linux.epoll_data_t { u64 = WakeUpData } };
        if (Sys.epoll_ctl(epoll, Sys.EPOLL_CTL_ADD, fd, &ev) != 0)
        {
            errno = Sys.errno;
            Sys.close(fd);
            return false;
        }
        s_wakeUpFd = fd;
        return true;
    }

    private static void Post(Action continuation)
    {
        s_posted.Enqueue(continuation);
        // One write(2) wakes the loop for every post until it has run them.
        if (Interlocked.Exchange(ref s_wakeUpPending, 1) == 0)
        {
            ulong one = 1;
            Sys.write(s_wakeUpFd, &one, sizeof(ulong));
        }
    }

    private static void RunPosted()
    {
        ulong count;
        Sys.read(s_wakeUpFd, &count, sizeof(ulong));
        // Cleared before the queue is read: a post after this point writes again, one before it is run below.
        Interlocked.Exchange(ref s_wakeUpPending, 0);
        while (s_posted.TryDequeue(out var continuation))
            continuation();
    }

    /// <summary>The awaitable of <see cref="SwitchTo"/>: complete already on the loop's thread, else posted there.</summary>
    internal readonly struct LoopSwitch : ICriticalNotifyCompletion
    {
        public LoopSwitch GetAwaiter() => this;

        public bool IsCompleted => Environment.CurrentManagedThreadId == Volatile.Read(ref s_threadId);

        public void GetResult()
        {
        }

        public void OnCompleted(Action continuation) => Post(continuation);

        public void UnsafeOnCompleted(Action continuation) => Post(continuation);
    }
}
