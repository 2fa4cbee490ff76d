using System.Runtime.InteropServices;

namespace TinySwap.Native;

// Descriptors, poll and the few socket calls of the port check.
internal static unsafe partial class LibC
{
    [LibraryImport(Lib, EntryPoint = "pipe2", SetLastError = true)]
    public static partial int pipe2(int* fds, int flags);

    /// <summary>fcntl is variadic in C; every command we use takes an int (see prctl on variadic calls).</summary>
    [LibraryImport(Lib, EntryPoint = "fcntl", SetLastError = true)]
    public static partial int fcntl(int fd, int command, int arg);

    [LibraryImport(Lib, EntryPoint = "read", SetLastError = true)]
    public static partial nint read(int fd, byte* buffer, nuint count);

    [LibraryImport(Lib, EntryPoint = "write", SetLastError = true)]
    public static partial nint write(int fd, byte* buffer, nuint count);

    [LibraryImport(Lib, EntryPoint = "close", SetLastError = true)]
    public static partial int close(int fd);

    [LibraryImport(Lib, EntryPoint = "poll", SetLastError = true)]
    public static partial int poll(PollFd* fds, nuint count, int timeoutMs);

    [LibraryImport(Lib, EntryPoint = "access", SetLastError = true)]
    public static partial int access(byte* path, int mode);

    [LibraryImport(Lib, EntryPoint = "socket", SetLastError = true)]
    public static partial int socket(int domain, int type, int protocol);

    [LibraryImport(Lib, EntryPoint = "setsockopt", SetLastError = true)]
    public static partial int setsockopt(int fd, int level, int name, void* value, uint length);

    [LibraryImport(Lib, EntryPoint = "bind", SetLastError = true)]
    public static partial int bind(int fd, void* address, uint length);
}
