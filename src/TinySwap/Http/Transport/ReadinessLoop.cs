using TinySwap.Native;

namespace TinySwap.Http.Transport;

/// <summary>
/// Our one epoll instance for plain TCP connections, and the thread that waits on it. Sockets are registered
/// edge-triggered once, for the life of the connection (no epoll_ctl per read or send); an event wakes the
/// <see cref="SocketReadiness"/> waiting on that socket, which reads and resumes its reader right here, as the
/// runtime's inline completions did (<see cref="InlineSocketCompletions"/>). The runtime's engine keeps only the listening
/// sockets.
/// </summary>
internal static unsafe partial class ReadinessLoop
{
    private const int MaxEventsPerWait = 128;

    private static readonly Lock s_lock = new();
    private static SocketReadiness?[] s_sockets = new SocketReadiness?[64];
    private static readonly Stack<int> s_freeSlots = new();
    private static int s_slotsUsed;
    private static uint s_generation;
    private static int s_epoll = -1;

    /// <summary>
    /// Adds a socket, edge-triggered for reads and writes. False with errno when the kernel refuses (ENOSPC past
    /// fs.epoll.max_user_watches, ENOMEM, EMFILE for the epoll instance itself).
    /// </summary>
    public static bool TryRegister(SocketReadiness readiness, int fd, out int errno)
    {
        errno = 0;
        lock (s_lock)
        {
            if (s_epoll < 0 && !TryStart(out errno))
                return false;
            if (!s_freeSlots.TryPop(out var slot))
            {
                slot = s_slotsUsed++;
                if (slot == s_sockets.Length)
                {
                    var grown = new SocketReadiness?[slot * 2];
                    s_sockets.CopyTo(grown, 0);
                    Volatile.Write(ref s_sockets, grown);
                }
            }
            readiness.Slot = slot;
            // A generation in every event's data: an event still queued for a slot's previous socket finds a different
            // generation there and is dropped, instead of waking the socket that reuses the slot.
            readiness.Generation = ++s_generation;
            Volatile.Write(ref s_sockets[slot], readiness);
        }
        var ev = new Tmds.Linux.epoll_event
        {
            // EPOLLOUT costs no extra events: the kernel only signals write space to a socket whose send ran out of it.
            events = LibC.EPOLLIN | LibC.EPOLLOUT | LibC.EPOLLRDHUP | LibC.EPOLLET,
            data = new Tmds.Linux.epoll_data_t { u64 = (ulong)readiness.Generation << 32 | (uint)readiness.Slot },
        };
        if (Sys.epoll_ctl(s_epoll, Sys.EPOLL_CTL_ADD, fd, &ev) == 0)
            return true;
        errno = Sys.errno;
        Release(readiness);
        return false;
    }

    /// <summary>
    /// Takes a socket out. The caller must hold a reference on the socket's handle: once the descriptor is closed its
    /// number may already name another socket, and EPOLL_CTL_DEL would remove that one (close(2) removed ours).
    /// </summary>
    public static void Unregister(SocketReadiness readiness, int fd, bool descriptorOpen)
    {
        if (descriptorOpen)
            Sys.epoll_ctl(s_epoll, Sys.EPOLL_CTL_DEL, fd, null);
        Release(readiness);
    }

    private static void Release(SocketReadiness readiness)
    {
        lock (s_lock)
        {
            if (s_sockets[readiness.Slot] != readiness)
                return;
            Volatile.Write(ref s_sockets[readiness.Slot], null);
            s_freeSlots.Push(readiness.Slot);
        }
    }

    private static bool TryStart(out int errno)
    {
        errno = 0;
        var epoll = Sys.epoll_create1(LibC.O_CLOEXEC);
        if (epoll < 0)
        {
            errno = Sys.errno;
            return false;
        }
        if (!TryAddWakeUp(epoll, out errno))
        {
            Sys.close(epoll);
            return false;
        }
        s_epoll = epoll;
        var thread = new Thread(Run) { IsBackground = true, Name = "tinyswap events" };
        thread.Start();
        s_threadId = thread.ManagedThreadId;
        return true;
    }

    private static void Run()
    {
        var events = stackalloc Tmds.Linux.epoll_event[MaxEventsPerWait];
        while (true)
        {
            var count = Sys.epoll_wait(s_epoll, events, MaxEventsPerWait, -1);
            if (count < 0)
            {
                if (Sys.errno == LibC.EINTR)
                    continue;
                Environment.FailFast($"epoll_wait failed: {Errno.Describe(Sys.errno)}");
            }
            var sockets = Volatile.Read(ref s_sockets);
            for (var i = 0; i < count; i++)
            {
                var data = events[i].data.u64;
                try
                {
                    if (data == WakeUpData)
                    {
                        RunPosted();
                        continue;
                    }
                    var readiness = Volatile.Read(ref sockets[(int)(uint)data]);
                    if (readiness is not null && readiness.Generation == (uint)(data >> 32))
                        readiness.OnEvents(events[i].events);
                }
                catch (Exception ex)
                {
                    // Readers resume inline here, and they are async methods that keep their own exceptions; one that
                    // escapes is a bug that would otherwise stop every connection's reads. The runtime's own socket
                    // engine fails fast in the same place.
                    Environment.FailFast("a continuation threw on the readiness loop", ex);
                }
            }
        }
    }
}
