using System.Collections.Concurrent;
using System.Globalization;
using TinySwap.Native;

namespace TinySwap.Supervisor;

/// <summary>The outcome of a spawn: the child, or why nothing was started.</summary>
internal readonly record struct SpawnResult(ChildProcess? Child, string? Error);

/// <summary>
/// The one long-lived thread every child is spawned from. PR_SET_PDEATHSIG fires when the parent
/// *thread* exits, not the process: a child spawned from a thread-pool thread would be SIGKILLed the
/// moment the pool retires that thread. Spawning only from here makes "parent died" mean "tinyswap died".
/// </summary>
internal sealed unsafe class SpawnThread
{
    public static SpawnThread Instance { get; } = new();

    private readonly BlockingCollection<(SpawnSpec Spec, TaskCompletionSource<SpawnResult> Done)> _queue = new();

    private SpawnThread() => new Thread(Run) { IsBackground = true, Name = "tinyswap-spawn" }.Start();

    /// <summary>Behave as on kernels before 5.3 (Jetson's 4.9): no pidfd, SIGCHLD and polling instead. For tests.</summary>
    internal static bool WithoutPidFd { get; set; }

    public Task<SpawnResult> SpawnAsync(SpawnSpec spec)
    {
        var done = new TaskCompletionSource<SpawnResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        _queue.Add((spec, done));
        return done.Task;
    }

    private void Run()
    {
        foreach (var (spec, done) in _queue.GetConsumingEnumerable())
        {
            try
            {
                done.SetResult(Spawn(spec));
            }
            catch (Exception e)
            {
                done.SetResult(new SpawnResult(null, e.Message));
            }
        }
    }

    /// <summary>Spawns now, on the calling thread: only ever called on the spawn thread.</summary>
    internal static SpawnResult Spawn(SpawnSpec spec)
    {
        if (spec.Launcher is { } launcher)
            GroupWatchdog.EnsureRunning(launcher);

        int* stdout = stackalloc int[2];
        int* stderr = stackalloc int[2];
        // O_CLOEXEC on both ends of both pipes: the child gets the write ends only through dup2 onto 1 and 2
        // (dup2 clears the flag on the copy), so no other descriptor of ours survives its exec.
        if (Sys.pipe2(stdout, LibC.O_CLOEXEC) != 0)
            return new SpawnResult(null, "pipe2: " + Errno.Describe(Errno.Last));
        if (Sys.pipe2(stderr, LibC.O_CLOEXEC) != 0)
        {
            var error = Errno.Last;
            Sys.close(stdout[0]);
            Sys.close(stdout[1]);
            return new SpawnResult(null, "pipe2: " + Errno.Describe(error));
        }

        var path = spec.Launcher ?? spec.Executable;
        var argv = spec.Launcher is null
            ? spec.Argv
            : [spec.Launcher, ExecShim.Verb, ((int)Sys.getpid()).ToString(CultureInfo.InvariantCulture), spec.Executable, "--", .. spec.Argv];
        int pid, result;
        using (var nativePath = new Utf8StringArray([path]))
        using (var nativeArgv = new Utf8StringArray(argv))
        using (var nativeEnv = new Utf8StringArray(spec.Environment))
        {
            result = PosixSpawn(nativePath[0], nativeArgv.Pointer, nativeEnv.Pointer, spec.Stdin, stdout[1], stderr[1], out pid);
        }
        if (result == 0 && spec.Launcher is not null)
            GroupWatchdog.Register(pid);
        // Our copies of the write ends must go, or we would never see EOF on the read ends.
        Sys.close(stdout[1]);
        Sys.close(stderr[1]);
        if (result != 0)
        {
            Sys.close(stdout[0]);
            Sys.close(stderr[0]);
            return new SpawnResult(null, $"cannot spawn {path}: {Errno.Describe(result)}");
        }

        // The read ends are ours alone (a pipe's two ends are separate open file descriptions), so
        // O_NONBLOCK here never reaches the child's stdout.
        SetNonBlocking(stdout[0]);
        SetNonBlocking(stderr[0]);
        // pidfd_open (Linux 5.3+; CLOEXEC by definition). Failure (ENOSYS, seccomp EPERM) → SIGCHLD fallback.
        var pidFd = WithoutPidFd ? -1 : (int)Sys.syscall(LibC.SYS_pidfd_open, pid, 0, 0);
        var child = new ChildProcess(pid, Math.Max(pidFd, -1), stdout[0], stderr[0], spec.Output, spec.KillGroupOnExit, spec.DrainTimeout);
        ChildWatcher.Instance.Watch(child);
        return new SpawnResult(child, null);
    }

    private static int PosixSpawn(byte* path, byte** argv, byte** envp, int stdin, int stdoutWrite, int stderrWrite, out int pid)
    {
        PosixSpawnAttr attr;
        PosixSpawnFileActions actions;
        SigSet all, none;
        pid = -1;
        var result = LibC.posix_spawnattr_init(&attr);
        if (result != 0)
            return result;
        result = LibC.posix_spawn_file_actions_init(&actions);
        if (result != 0)
        {
            LibC.posix_spawnattr_destroy(&attr);
            return result;
        }
        try
        {
            Sys.sigfillset(&all);
            Sys.sigemptyset(&none);
            // SETSID: own session, hence own process group (pgid == pid), so one kill(-pid) reaches every
            // descendant and a terminal's Ctrl-C never does. SETSIGDEF with a full set: every disposition back
            // to default — NativeAOT sets SIGPIPE to SIG_IGN, and an ignored signal survives exec (a server
            // would then see EPIPE instead of dying on a closed socket, and SIGINT/SIGQUIT ignored by a shell
            // parent would stick). SETSIGMASK with an empty set: the spawning thread's mask is inherited too.
            if ((result = LibC.posix_spawnattr_setflags(&attr, LibC.POSIX_SPAWN_SETSID | LibC.POSIX_SPAWN_SETSIGDEF | LibC.POSIX_SPAWN_SETSIGMASK)) != 0
                || (result = LibC.posix_spawnattr_setsigdefault(&attr, &all)) != 0
                || (result = LibC.posix_spawnattr_setsigmask(&attr, &none)) != 0)
                return result;

            // stdin from /dev/null: a server must never read our (journald's, a terminal's) stdin.
            fixed (byte* devNull = "/dev/null\0"u8)
            {
                if ((result = stdin >= 0
                        ? LibC.posix_spawn_file_actions_adddup2(&actions, stdin, 0)
                        : LibC.posix_spawn_file_actions_addopen(&actions, 0, devNull, LibC.O_RDONLY, 0)) != 0
                    || (result = LibC.posix_spawn_file_actions_adddup2(&actions, stdoutWrite, 1)) != 0
                    || (result = LibC.posix_spawn_file_actions_adddup2(&actions, stderrWrite, 2)) != 0
                    || (result = AddCloseFrom3(&actions)) != 0)
                    return result;
            }
            // glibc's posix_spawn uses clone(CLONE_VM | CLONE_VFORK): this thread is suspended only until
            // the child has exec'd, and exec failures come back here as the return value.
            return LibC.posix_spawn(out pid, path, &actions, &attr, argv, envp);
        }
        finally
        {
            LibC.posix_spawn_file_actions_destroy(&actions);
            LibC.posix_spawnattr_destroy(&attr);
        }
    }

    private static bool s_noCloseFrom;

    /// <summary>
    /// Closes every descriptor above stderr in the child. Ours are all CLOEXEC, but whoever started us may
    /// have passed descriptors without it (a shell's 3&gt;file, a test runner's pipes: dotnet test leaves two),
    /// and those would reach the model. Missing before glibc 2.34; the exec shim covers that case.
    /// </summary>
    private static int AddCloseFrom3(PosixSpawnFileActions* actions)
    {
        if (s_noCloseFrom)
            return 0;
        try
        {
            return LibC.posix_spawn_file_actions_addclosefrom_np(actions, 3);
        }
        catch (EntryPointNotFoundException)
        {
            s_noCloseFrom = true;
            return 0;
        }
    }

    private static void SetNonBlocking(int fd)
    {
        var flags = Sys.fcntl(fd, LibC.F_GETFL, 0);
        if (flags >= 0)
            Sys.fcntl(fd, LibC.F_SETFL, flags | LibC.O_NONBLOCK);
    }
}
