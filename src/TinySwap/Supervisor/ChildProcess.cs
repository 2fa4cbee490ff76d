using TinySwap.Native;

namespace TinySwap.Supervisor;

/// <summary>
/// One process we spawned: the leader of its own session and process group (so pgid == pid). The child
/// watcher thread reads its output and reaps it; everyone else signals it and awaits <see cref="Exited"/>.
/// </summary>
internal sealed class ChildProcess
{
    private readonly TaskCompletionSource<ExitStatus> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _outputClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Guards the pid against reuse: once reaped, the number may belong to someone else, so signalling
    // and reaping are serialised and nothing is sent after the reap.
    private readonly object _reapGate = new();
    private bool _reaped;

    public ChildProcess(int pid, int pidFd, int stdoutFd, int stderrFd, IOutputSink output, bool killGroupOnExit, TimeSpan drainTimeout)
    {
        Pid = pid;
        PidFd = pidFd;
        Output = output;
        KillGroupOnExit = killGroupOnExit;
        DrainTimeout = drainTimeout;
        Pipes = [new OutputPipe(stdoutFd, OutputStream.Stdout), new OutputPipe(stderrFd, OutputStream.Stderr)];
    }

    public int Pid { get; }

    /// <summary>Completes once the process is reaped (its group is gone too when <see cref="KillGroupOnExit"/>).</summary>
    public Task<ExitStatus> Exited => _exited.Task;

    /// <summary>Completes when both output pipes reached EOF, or were closed by force after the drain timeout.</summary>
    public Task OutputClosed => _outputClosed.Task;

    // Owned by the watcher thread.
    internal int PidFd { get; set; }
    internal IOutputSink Output { get; }
    internal bool KillGroupOnExit { get; }
    internal TimeSpan DrainTimeout { get; }
    internal OutputPipe[] Pipes { get; }
    internal long DrainDeadline { get; set; } = long.MaxValue;

    /// <summary>True when the process has been reaped within <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        await ((Task)Exited).WaitAsync(timeout).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        return Exited.IsCompleted;
    }

    /// <summary>Waits for <see cref="OutputClosed"/>, at most <paramref name="timeout"/>.</summary>
    public async Task WaitForOutputAsync(TimeSpan timeout) =>
        await OutputClosed.WaitAsync(timeout).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);

    /// <summary>The exit status once reaped, else unknown.</summary>
    public ExitStatus ExitStatusOrUnknown => Exited.IsCompletedSuccessfully ? Exited.Result : ExitStatus.Unknown;

    /// <summary>Sends <paramref name="signal"/> to the whole process group. False once the process has been reaped.</summary>
    public bool SignalGroup(int signal)
    {
        lock (_reapGate)
        {
            if (_reaped)
                return false;
            // kill(-pgid): the leader and every descendant that stayed in its group (a forked grandchild
            // holding our stdout pipe included). ESRCH just means the group is already empty.
            return Sys.killpg(Pid, signal) == 0;
        }
    }

    /// <summary>waitpid(pid, WNOHANG) for this pid only (never -1: other children are not ours to reap).</summary>
    internal bool TryReap(bool exitKnown)
    {
        int status = 0;
        int result;
        lock (_reapGate)
        {
            if (_reaped)
                return true;
            if (exitKnown && KillGroupOnExit)
            {
                // The pidfd said the leader exited, but it stays a zombie until we reap it, so its pid (our
                // pgid) cannot be reused yet: this is the one moment a group-wide SIGKILL is safe and still
                // reaches a grandchild that outlived the leader.
                Sys.killpg(Pid, LibC.SIGKILL);
            }
            unsafe
            {
                do
                {
                    result = LibC.waitpid(Pid, &status, LibC.WNOHANG);
                }
                while (result == -1 && Errno.Last == LibC.EINTR);
            }
            if (result == 0)
                return false;
            _reaped = true;
        }

        // ECHILD: as PID 1 (or when our parent left SIGCHLD ignored) the .NET runtime reaps every child with
        // waitpid(-1) before we can: it exited, but its status is lost.
        var exit = result == Pid ? ExitStatus.FromWaitStatus(status) : ExitStatus.Unknown;
        if (!exitKnown && KillGroupOnExit)
            Sys.killpg(Pid, LibC.SIGKILL); // no pidfd: best effort after the reap (a live group keeps its id reserved)
        _exited.TrySetResult(exit);
        return true;
    }

    internal void CompleteOutput() => _outputClosed.TrySetResult();
}

/// <summary>Our read end of one of the child's output pipes, and its partial last line.</summary>
internal sealed class OutputPipe(int fd, OutputStream stream)
{
    public int Fd { get; set; } = fd;
    public OutputStream Stream { get; } = stream;
    public LineAssembler Lines { get; } = new();
    public bool IsOpen => Fd >= 0;
}
