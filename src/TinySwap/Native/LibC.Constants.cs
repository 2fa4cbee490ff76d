using System.Runtime.InteropServices;

namespace TinySwap.Native;

// Constants we hard-code instead of reading headers at run time. Each field is named after its C macro
// (or carries a [CValue] with the C expression) so tests/TinySwap.Tests/Native compiles them against the
// system headers and compares every one. All values below are identical on linux-x64 and linux-arm64
// (arm64 uses the asm-generic numbering for signals, errno and syscalls; glibc's spawn and signal structs
// have the same LP64 layout). Known x64/arm64 differences we deliberately do NOT use: O_DIRECTORY,
// O_NOFOLLOW, O_DIRECT, O_LARGEFILE (different bit values) and the legacy syscalls (open, fork, pipe,
// dup2) that arm64 lacks entirely — which is why every syscall here goes through glibc or a number from
// the unified table (>= 424, the same on every architecture).
internal static partial class LibC
{
    // Signals.
    public const int SIGHUP = 1;
    public const int SIGINT = 2;
    public const int SIGQUIT = 3;
    public const int SIGKILL = 9;
    public const int SIGPIPE = 13;
    public const int SIGTERM = 15;
    public const int SIGCHLD = 17;
    public const int SIGCONT = 18;
    public const int SIGSTOP = 19;

    /// <summary>One past the highest signal number (glibc's _NSIG, SIGRTMAX + 1).</summary>
    [CValue("_NSIG")]
    public const int NSIG = 65;

    [CValue("(long)SIG_DFL")]
    public const int SIG_DFL = 0;

    [CValue("(long)SIG_IGN")]
    public const int SIG_IGN = 1;

    public const int SIG_BLOCK = 0;
    public const int SIG_SETMASK = 2;

    // posix_spawnattr_setflags (glibc values; SETSID needs glibc >= 2.26).
    public const short POSIX_SPAWN_SETPGROUP = 0x02;
    public const short POSIX_SPAWN_SETSIGDEF = 0x04;
    public const short POSIX_SPAWN_SETSIGMASK = 0x08;
    public const short POSIX_SPAWN_SETSID = 0x80;

    // waitpid.
    public const int WNOHANG = 1;

    // open / pipe2 / fcntl.
    public const int O_RDONLY = 0;
    public const int O_WRONLY = 1;
    public const int O_NONBLOCK = 0x800;
    public const int O_CLOEXEC = 0x80000;
    public const int F_GETFD = 1;
    public const int F_SETFD = 2;
    public const int F_GETFL = 3;
    public const int F_SETFL = 4;
    public const int FD_CLOEXEC = 1;
    public const int X_OK = 1;
    public const int O_RDWR = 2;
    public const int O_CREAT = 0x40;
    public const int O_EXCL = 0x80;

    // O_TMPFILE is __O_TMPFILE | O_DIRECTORY, and O_DIRECTORY is one of the bits x64 and arm64 number differently.
    [CValue("O_TMPFILE", Architecture.X64)] public const int O_TMPFILE_x64 = 0x410000;
    [CValue("O_TMPFILE", Architecture.Arm64)] public const int O_TMPFILE_arm64 = 0x404000;

    public static int O_TMPFILE => RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? O_TMPFILE_arm64 : O_TMPFILE_x64;

    // prctl.
    public const int PR_SET_PDEATHSIG = 1;
    public const int PR_GET_PDEATHSIG = 2;

    // Syscalls glibc 2.31 (Debian 11, Raspberry Pi OS) has no wrapper for; same numbers on x64 and arm64.
    public const int SYS_pidfd_open = 434;
    public const int SYS_close_range = 436;
    public const uint CLOSE_RANGE_CLOEXEC = 4;

    // One of the few syscalls whose number differs: x64 keeps its historic table, arm64 uses asm-generic's.
    [CValue("SYS_rt_sigaction", Architecture.X64)] public const int SYS_rt_sigaction_x64 = 13;
    [CValue("SYS_rt_sigaction", Architecture.Arm64)] public const int SYS_rt_sigaction_arm64 = 134;

    /// <summary>The kernel's sigset_t (64 signals, 8 bytes), which rt_sigaction wants as its size argument.</summary>
    [CValue("(_NSIG - 1) / 8")] public const int KernelSigSetSize = 8;

    /// <summary>The first of glibc's two internal signals (32 SIGCANCEL, 33 SIGSETXID), hidden from sigaction().</summary>
    [CValue("__SIGRTMIN")] public const int GlibcInternalSignal = 32;

    // poll.
    public const short POLLIN = 0x1;
    public const short POLLERR = 0x8;
    public const short POLLHUP = 0x10;
    public const short POLLNVAL = 0x20;

    // Sockets, for the "is the port free" check.
    public const int AF_INET = 2;
    public const int AF_INET6 = 10;
    public const int SOCK_STREAM = 1;
    public const int SOCK_CLOEXEC = 0x80000;
    public const int SOL_SOCKET = 1;
    public const int SO_REUSEADDR = 2;

    // errno.
    public const int EPERM = 1;
    public const int ENOENT = 2;
    public const int ESRCH = 3;
    public const int EINTR = 4;
    public const int ECHILD = 10;
    public const int EAGAIN = 11;
    public const int EACCES = 13;
    public const int EISDIR = 21;
    public const int EINVAL = 22;
    public const int ENOSYS = 38;
    public const int EOPNOTSUPP = 95;
    public const int EADDRINUSE = 98;
    public const int EADDRNOTAVAIL = 99;
    public const int EBADF = 9;
    public const int EPIPE = 32;
    public const int ENETDOWN = 100;
    public const int ENETUNREACH = 101;
    public const int ECONNABORTED = 103;
    public const int ECONNRESET = 104;
    public const int ENOTCONN = 107;
    public const int ETIMEDOUT = 110;
    public const int ECONNREFUSED = 111;
    public const int EHOSTUNREACH = 113;
    public const int EINPROGRESS = 115;

    // epoll and sockets, for our own event loop (Http/Transport/ReadinessLoop).
    public const int EPOLLIN = 0x001;
    public const int EPOLLOUT = 0x004;
    public const int EPOLLERR = 0x008;
    public const int EPOLLHUP = 0x010;
    public const int EPOLLRDHUP = 0x2000;
    [CValue("(int)EPOLLET")] public const int EPOLLET = unchecked((int)0x80000000);
    public const int MSG_PEEK = 0x2;
    public const int MSG_DONTWAIT = 0x40;
    public const int MSG_NOSIGNAL = 0x4000;
    public const int SOCK_NONBLOCK = 0x800;
    public const int SO_ERROR = 4;
}

/// <summary>The C expression a constant is checked against, when it is not simply the field's name; optionally for one architecture only.</summary>
[AttributeUsage(AttributeTargets.Field)]
internal sealed class CValueAttribute : Attribute
{
    public CValueAttribute(string expression) => Expression = expression;

    public CValueAttribute(string expression, Architecture onlyOn)
    {
        Expression = expression;
        OnlyOn = onlyOn;
    }

    public string Expression { get; }
    public Architecture? OnlyOn { get; }
}
