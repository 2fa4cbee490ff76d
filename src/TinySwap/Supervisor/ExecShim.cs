using System.Globalization;
using System.Runtime.InteropServices;
using TinySwap.Native;

namespace TinySwap.Supervisor;

/// <summary>
/// `tinyswap __exec PARENT_PID EXECUTABLE -- ARGV...`: the first moments of every child we start. posix_spawn
/// cannot call prctl in the child, so it spawns our own binary in this mode, which arms PR_SET_PDEATHSIG,
/// makes sure the parent is still the one that spawned it, undoes what the .NET runtime did to signals and
/// descriptors, and execs the real command. Program.Main calls <see cref="TryRun"/> before anything else.
/// </summary>
internal static unsafe class ExecShim
{
    public const string Verb = "__exec";

    /// <summary>Exit code when the command cannot be executed (the shell's "command not found/not executable").</summary>
    public const int ExecFailedExitCode = 127;

    /// <summary>True when <paramref name="args"/> asked for a hidden mode; then <paramref name="exitCode"/> is the result.</summary>
    public static bool TryRun(string[] args, out int exitCode)
    {
        exitCode = 0;
        if (args.Length == 0)
            return false;
        if (args[0] == Verb)
        {
            exitCode = Exec(args);
            return true;
        }
        if (args[0] == GroupWatchdog.Verb)
        {
            exitCode = GroupWatchdog.Run();
            return true;
        }
        return false;
    }

    private static int Exec(string[] args)
    {
        if (args.Length < 5 || args[3] != "--" || !int.TryParse(args[1], NumberStyles.None, CultureInfo.InvariantCulture, out var parent))
        {
            Console.Error.WriteLine("tinyswap: usage: __exec PARENT_PID EXECUTABLE -- ARGV... (internal)");
            return 2;
        }

        // The kernel sends SIGKILL when the thread that spawned us exits (tinyswap's long-lived spawn
        // thread, so: when tinyswap dies, even by SIGKILL). It survives the execve below.
        if (LibC.prctl(LibC.PR_SET_PDEATHSIG, LibC.SIGKILL, 0, 0, 0) != 0)
            return Fail("prctl(PR_SET_PDEATHSIG)", Errno.Last);
        // If tinyswap died between spawning us and the prctl, no signal will ever come: we were already
        // reparented (to init or a subreaper), so check and leave instead of running an orphan.
        if (Sys.getppid() != parent)
            return 1;

        ResetIgnoredSignals();
        // Belt and braces: everything of ours is CLOEXEC already, but a library could have opened a
        // descriptor without it. close_range with CLOSE_RANGE_CLOEXEC (Linux 5.11) marks them all in one call
        // and keeps stdin/stdout/stderr; on older kernels we walk /proc/self/fd.
        if ((int)Sys.syscall(LibC.SYS_close_range, 3, uint.MaxValue, LibC.CLOSE_RANGE_CLOEXEC) != 0)
            MarkDescriptorsCloseOnExec();

        var argv = args.AsSpan(4).ToArray();
        using var nativeFile = new Utf8StringArray([args[2]]);
        using var nativeArgv = new Utf8StringArray(argv);
        LibC.execvp(nativeFile[0], nativeArgv.Pointer);
        return Fail($"cannot run '{args[2]}'", Errno.Last);
    }

    /// <summary>
    /// The runtime started in this process too and set SIGPIPE (and maybe others) to SIG_IGN; ignored
    /// dispositions survive exec, handled ones do not. Only SIG_IGN entries are reset: resetting the
    /// runtime's own handlers (e.g. its GC suspension signal) before exec could kill us in the gap.
    /// The signal mask is emptied as well, since it survives exec too.
    /// </summary>
    private static void ResetIgnoredSignals()
    {
        SigAction current, byDefault = default;
        for (var signal = 1; signal < LibC.NSIG; signal++)
        {
            if (signal is LibC.SIGKILL or LibC.SIGSTOP)
                continue;
            if (Sys.sigaction(signal, null, &current) == 0 && current.sa_handler == (void*)LibC.SIG_IGN)
                Sys.sigaction(signal, &byDefault, null);
        }
        ResetGlibcInternalSignals();
        SigSet none;
        Sys.sigemptyset(&none);
        Sys.sigprocmask(LibC.SIG_SETMASK, &none, null);
    }

    /// <summary>
    /// glibc's posix_spawn sets its two internal signals (32 SIGCANCEL, 33 SIGSETXID) to SIG_IGN in the child,
    /// outside POSIX_SPAWN_SETSIGDEF's reach: sigaddset() and sigaction() refuse them. Ignored, they would
    /// survive our exec too (harmless to glibc programs, which install their own handlers, but not "every
    /// disposition default"). The raw rt_sigaction syscall can reset them: an all-zero kernel sigaction is
    /// SIG_DFL with no flags and an empty mask. Nothing in this process sends them before the exec.
    /// </summary>
    private static void ResetGlibcInternalSignals()
    {
        var number = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => LibC.SYS_rt_sigaction_x64,
            Architecture.Arm64 => LibC.SYS_rt_sigaction_arm64,
            _ => 0,
        };
        if (number == 0)
            return;
        var kernelSigAction = stackalloc long[4]; // {handler, flags, restorer, mask}: larger than arm64's 3 words
        for (var signal = LibC.GlibcInternalSignal; signal <= LibC.GlibcInternalSignal + 1; signal++)
        {
            new Span<long>(kernelSigAction, 4).Clear();
            Sys.syscall(number, signal, kernelSigAction, 0, LibC.KernelSigSetSize);
        }
    }

    private static void MarkDescriptorsCloseOnExec()
    {
        foreach (var entry in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
        {
            if (int.TryParse(Path.GetFileName(entry), NumberStyles.None, CultureInfo.InvariantCulture, out var fd) && fd > 2)
            {
                var flags = Sys.fcntl(fd, LibC.F_GETFD, 0);
                if (flags >= 0)
                    Sys.fcntl(fd, LibC.F_SETFD, flags | LibC.FD_CLOEXEC);
            }
        }
    }

    private static int Fail(string what, int errno)
    {
        // One line on stderr: it lands in the model's log ring, and the supervisor quotes it in the failure.
        Console.Error.WriteLine($"tinyswap: {what}: {Errno.Describe(errno)}");
        return ExecFailedExitCode;
    }
}
