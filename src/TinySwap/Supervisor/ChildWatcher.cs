using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using TinySwap.Native;

namespace TinySwap.Supervisor;

/// <summary>
/// One thread for all our children: poll() over each child's pidfd and output pipes, reap with
/// waitpid(pid, WNOHANG) when a pidfd turns readable, read output into the children's sinks, and close
/// pipes that a surviving grandchild keeps open once the drain timeout after the exit has passed.
/// </summary>
/// <remarks>
/// Why pidfd and not SIGCHLD: .NET's SIGCHLD handling (pal_signal.c) forwards the signal to a
/// PosixSignalRegistration on the thread pool, late under load; and when our parent left SIGCHLD ignored
/// the runtime keeps it ignored, so no SIGCHLD ever arrives and children are auto-reaped. A pidfd
/// (Linux 5.3+) turns readable on exit whatever the signal disposition. On older kernels (Jetson's 4.9)
/// pidfd_open fails and we fall back to a SIGCHLD registration plus a 1 s poll, probing each such pid.
/// </remarks>
internal sealed unsafe class ChildWatcher
{
    private const int FallbackPollMs = 1000;
    private const int ReadChunk = 64 * 1024;
    private const int PidFdSource = -1; // in the poll set's owner list; 0 and 1 are the output pipes

    public static ChildWatcher Instance { get; } = new();

    private readonly ConcurrentQueue<ChildProcess> _added = new();
    private readonly List<ChildProcess> _children = []; // watcher thread only
    private readonly int _wakeRead;
    private readonly int _wakeWrite;
    private readonly byte[] _buffer = new byte[ReadChunk];
    private PosixSignalRegistration? _sigchld;

    private ChildWatcher()
    {
        int* fds = stackalloc int[2];
        // Both ends close on exec (never inherited) and never block: a full wake pipe already means "wake up".
        if (Sys.pipe2(fds, LibC.O_CLOEXEC | LibC.O_NONBLOCK) != 0)
            throw new InvalidOperationException("pipe2 for the child watcher failed: " + Errno.Describe(Errno.Last));
        _wakeRead = fds[0];
        _wakeWrite = fds[1];
        new Thread(Loop) { IsBackground = true, Name = "tinyswap-children" }.Start();
    }

    public void Watch(ChildProcess child)
    {
        if (child.PidFd < 0 && Volatile.Read(ref _sigchld) is null && OperatingSystem.IsLinux())
        {
            // Registered once, never removed: after the first child without a pidfd, SIGCHLD wakes us.
            lock (_added)
                _sigchld ??= PosixSignalRegistration.Create(PosixSignal.SIGCHLD, _ => Wake());
        }
        _added.Enqueue(child);
        Wake();
    }

    private void Wake()
    {
        byte one = 1;
        Sys.write(_wakeWrite, &one, 1);
    }

    private void Loop()
    {
        var fds = new List<PollFd>();
        var owners = new List<(ChildProcess? Child, int Source)>();
        while (true)
        {
            while (_added.TryDequeue(out var child))
                _children.Add(child);

            var timeout = BuildPollSet(fds, owners);
            var span = CollectionsMarshal.AsSpan(fds);
            int ready;
            fixed (PollFd* pollFds = span)
                ready = Sys.poll(pollFds, (uint)span.Length, timeout);
            if (ready < 0)
            {
                // EINTR is routine; anything else (EBADF, ENOMEM) would be our bug or a starving system: back
                // off briefly rather than let the only reaper thread die.
                if (Errno.Last != LibC.EINTR)
                    Thread.Sleep(10);
                continue;
            }

            for (var i = 0; i < span.Length; i++)
            {
                if (span[i].revents == 0)
                    continue;
                var (child, source) = owners[i];
                if (child is null)
                    DrainWakePipe();
                else if (source == PidFdSource)
                    Reap(child, exitKnown: true);
                else
                    ReadPipe(child, child.Pipes[source]);
            }
            Sweep();
        }
    }

    /// <summary>The wake pipe, each live child's pidfd, every open output pipe; returns poll's timeout.</summary>
    private int BuildPollSet(List<PollFd> fds, List<(ChildProcess? Child, int Source)> owners)
    {
        fds.Clear();
        owners.Clear();
        fds.Add(new PollFd { fd = _wakeRead, events = LibC.POLLIN });
        owners.Add((null, 0));
        var timeout = -1;
        var now = Stopwatch.GetTimestamp();
        foreach (var child in _children)
        {
            if (!child.Exited.IsCompleted)
            {
                if (child.PidFd >= 0)
                {
                    fds.Add(new PollFd { fd = child.PidFd, events = LibC.POLLIN });
                    owners.Add((child, PidFdSource));
                }
                else
                {
                    timeout = MinTimeout(timeout, FallbackPollMs);
                }
            }
            else if (child.DrainDeadline != long.MaxValue)
            {
                var left = Stopwatch.GetElapsedTime(now, child.DrainDeadline);
                timeout = MinTimeout(timeout, Math.Max(0, (int)Math.Ceiling(left.TotalMilliseconds)));
            }
            for (var p = 0; p < child.Pipes.Length; p++)
            {
                if (child.Pipes[p].IsOpen)
                {
                    fds.Add(new PollFd { fd = child.Pipes[p].Fd, events = LibC.POLLIN });
                    owners.Add((child, p));
                }
            }
        }
        return timeout;
    }

    /// <summary>Probes children without a pidfd, cuts off drains past their deadline, forgets finished children.</summary>
    private void Sweep()
    {
        foreach (var child in _children)
        {
            if (!child.Exited.IsCompleted && child.PidFd < 0)
                Reap(child, exitKnown: false);
            if (child.Exited.IsCompleted && child.DrainDeadline <= Stopwatch.GetTimestamp())
                CloseOutput(child); // a grandchild outside the group still holds the pipe: stop waiting for EOF
        }
        _children.RemoveAll(c => c.Exited.IsCompleted && c.OutputClosed.IsCompleted);
    }

    private static int MinTimeout(int current, int candidate) => current < 0 ? candidate : Math.Min(current, candidate);

    private void DrainWakePipe()
    {
        fixed (byte* buffer = _buffer)
            while (Sys.read(_wakeRead, buffer, _buffer.Length) > 0) { }
    }

    private static void Reap(ChildProcess child, bool exitKnown)
    {
        if (!child.TryReap(exitKnown))
            return;
        GroupWatchdog.Unregister(child.Pid);
        if (child.PidFd >= 0)
        {
            Sys.close(child.PidFd);
            child.PidFd = -1;
        }
        child.DrainDeadline = Stopwatch.GetTimestamp() + (long)(child.DrainTimeout.TotalSeconds * Stopwatch.Frequency);
        if (!Array.Exists(child.Pipes, p => p.IsOpen))
            child.CompleteOutput();
    }

    private void ReadPipe(ChildProcess child, OutputPipe pipe)
    {
        // Our read end is O_NONBLOCK: read what is there, a bounded number of times so one chatty child
        // cannot starve the others, and come back on the next poll.
        for (var round = 0; round < 4; round++)
        {
            long n;
            fixed (byte* buffer = _buffer)
                n = Sys.read(pipe.Fd, buffer, _buffer.Length);
            if (n > 0)
            {
                pipe.Lines.Feed(_buffer.AsSpan(0, (int)n), line => Deliver(child, pipe, line));
                continue;
            }
            if (n < 0 && Errno.Last is LibC.EAGAIN or LibC.EINTR)
                return;
            ClosePipe(child, pipe); // EOF (every writer closed) or an error
            return;
        }
    }

    /// <summary>A sink that throws (a logger gone bad) must not take down the one thread that reaps everything.</summary>
    private static void Deliver(ChildProcess child, OutputPipe pipe, string line)
    {
        try
        {
            child.Output.OnLine(pipe.Stream, line);
        }
        catch (Exception)
        {
        }
    }

    private static void ClosePipe(ChildProcess child, OutputPipe pipe)
    {
        pipe.Lines.Flush(line => Deliver(child, pipe, line));
        Sys.close(pipe.Fd);
        pipe.Fd = -1;
        if (child.Exited.IsCompleted && !Array.Exists(child.Pipes, p => p.IsOpen))
            child.CompleteOutput();
    }

    private static void CloseOutput(ChildProcess child)
    {
        foreach (var pipe in child.Pipes)
        {
            if (pipe.IsOpen)
                ClosePipe(child, pipe);
        }
        child.CompleteOutput();
    }
}
