using System.Runtime.InteropServices;

namespace TinySwap.Native;

// Ours: Tmds.LibC 0.5.0 has no posix_spawn*. These return an errno value instead of setting errno, so none of
// them needs SetLastError.
internal static unsafe partial class LibC
{
    private const string Lib = "libc";

    [LibraryImport(Lib, EntryPoint = "posix_spawn")]
    public static partial int posix_spawn(out int pid, byte* path, PosixSpawnFileActions* fileActions, PosixSpawnAttr* attr, byte** argv, byte** envp);

    /// <summary>Searches PATH of the *calling* process, not of envp: we resolve ourselves and use posix_spawn.</summary>
    [LibraryImport(Lib, EntryPoint = "posix_spawnp")]
    public static partial int posix_spawnp(out int pid, byte* file, PosixSpawnFileActions* fileActions, PosixSpawnAttr* attr, byte** argv, byte** envp);

    [LibraryImport(Lib, EntryPoint = "posix_spawnattr_init")]
    public static partial int posix_spawnattr_init(PosixSpawnAttr* attr);

    [LibraryImport(Lib, EntryPoint = "posix_spawnattr_destroy")]
    public static partial int posix_spawnattr_destroy(PosixSpawnAttr* attr);

    [LibraryImport(Lib, EntryPoint = "posix_spawnattr_setflags")]
    public static partial int posix_spawnattr_setflags(PosixSpawnAttr* attr, short flags);

    [LibraryImport(Lib, EntryPoint = "posix_spawnattr_setsigmask")]
    public static partial int posix_spawnattr_setsigmask(PosixSpawnAttr* attr, SigSet* mask);

    [LibraryImport(Lib, EntryPoint = "posix_spawnattr_setsigdefault")]
    public static partial int posix_spawnattr_setsigdefault(PosixSpawnAttr* attr, SigSet* signals);

    [LibraryImport(Lib, EntryPoint = "posix_spawnattr_setpgroup")]
    public static partial int posix_spawnattr_setpgroup(PosixSpawnAttr* attr, int pgroup);

    [LibraryImport(Lib, EntryPoint = "posix_spawn_file_actions_init")]
    public static partial int posix_spawn_file_actions_init(PosixSpawnFileActions* actions);

    [LibraryImport(Lib, EntryPoint = "posix_spawn_file_actions_destroy")]
    public static partial int posix_spawn_file_actions_destroy(PosixSpawnFileActions* actions);

    [LibraryImport(Lib, EntryPoint = "posix_spawn_file_actions_adddup2")]
    public static partial int posix_spawn_file_actions_adddup2(PosixSpawnFileActions* actions, int fd, int newFd);

    [LibraryImport(Lib, EntryPoint = "posix_spawn_file_actions_addopen")]
    public static partial int posix_spawn_file_actions_addopen(PosixSpawnFileActions* actions, int fd, byte* path, int oflag, uint mode);

    /// <summary>glibc 2.34+ only (Debian 12, Ubuntu 22.04): callers catch EntryPointNotFoundException on older ones.</summary>
    [LibraryImport(Lib, EntryPoint = "posix_spawn_file_actions_addclosefrom_np")]
    public static partial int posix_spawn_file_actions_addclosefrom_np(PosixSpawnFileActions* actions, int from);

    [LibraryImport(Lib, EntryPoint = "posix_spawn_file_actions_addclose")]
    public static partial int posix_spawn_file_actions_addclose(PosixSpawnFileActions* actions, int fd);
}
