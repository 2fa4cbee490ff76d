using System.Runtime.InteropServices;

namespace TinySwap.Native;

// Process and signal calls. SetLastError wherever the result is -1 with errno.
internal static unsafe partial class LibC
{
    [LibraryImport(Lib, EntryPoint = "kill", SetLastError = true)]
    public static partial int kill(int pid, int signal);

    [LibraryImport(Lib, EntryPoint = "waitpid", SetLastError = true)]
    public static partial int waitpid(int pid, int* status, int options);

    [LibraryImport(Lib, EntryPoint = "setpgid", SetLastError = true)]
    public static partial int setpgid(int pid, int pgid);

    [LibraryImport(Lib, EntryPoint = "setsid", SetLastError = true)]
    public static partial int setsid();

    [LibraryImport(Lib, EntryPoint = "getpid")]
    public static partial int getpid();

    [LibraryImport(Lib, EntryPoint = "getppid")]
    public static partial int getppid();

    /// <summary>prctl is variadic in C; on the x64 and arm64 Linux ABIs integer variadic arguments travel exactly like named ones.</summary>
    [LibraryImport(Lib, EntryPoint = "prctl", SetLastError = true)]
    public static partial int prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);

    [LibraryImport(Lib, EntryPoint = "execve", SetLastError = true)]
    public static partial int execve(byte* path, byte** argv, byte** envp);

    /// <summary>Searches PATH of the current environment (the shim's, which posix_spawn set to the model's).</summary>
    [LibraryImport(Lib, EntryPoint = "execvp", SetLastError = true)]
    public static partial int execvp(byte* file, byte** argv);

    /// <summary>The raw syscall entry (variadic in C, same argument passing caveat as prctl).</summary>
    [LibraryImport(Lib, EntryPoint = "syscall", SetLastError = true)]
    public static partial long syscall(long number, long arg1, long arg2, long arg3);

    [LibraryImport(Lib, EntryPoint = "syscall", SetLastError = true)]
    public static partial long syscall(long number, long arg1, long arg2, long arg3, long arg4);

    [LibraryImport(Lib, EntryPoint = "sigemptyset", SetLastError = true)]
    public static partial int sigemptyset(SigSet* set);

    [LibraryImport(Lib, EntryPoint = "sigfillset", SetLastError = true)]
    public static partial int sigfillset(SigSet* set);

    [LibraryImport(Lib, EntryPoint = "sigaddset", SetLastError = true)]
    public static partial int sigaddset(SigSet* set, int signal);

    [LibraryImport(Lib, EntryPoint = "sigprocmask", SetLastError = true)]
    public static partial int sigprocmask(int how, SigSet* set, SigSet* oldSet);

    [LibraryImport(Lib, EntryPoint = "sigaction", SetLastError = true)]
    public static partial int sigaction(int signal, SigAction* action, SigAction* oldAction);
}
