using System.Runtime.InteropServices;

namespace TinySwap.Native;

// Process calls Tmds.LibC 0.5.0 does not bind. SetLastError wherever the result is -1 with errno.
internal static unsafe partial class LibC
{
    /// <summary>Ours: Tmds.LibC 0.5.0 has no waitpid/waitid.</summary>
    [LibraryImport(Lib, EntryPoint = "waitpid", SetLastError = true)]
    public static partial int waitpid(int pid, int* status, int options);

    /// <summary>
    /// Ours: Tmds.LibC 0.5.0 has no prctl. Variadic in C; on the x64 and arm64 Linux ABIs integer variadic
    /// arguments travel exactly like named ones.
    /// </summary>
    [LibraryImport(Lib, EntryPoint = "prctl", SetLastError = true)]
    public static partial int prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);

    /// <summary>Ours: Tmds.LibC 0.5.0 has execve only. Searches PATH of the current environment (the shim's, which posix_spawn set to the model's).</summary>
    [LibraryImport(Lib, EntryPoint = "execvp", SetLastError = true)]
    public static partial int execvp(byte* file, byte** argv);
}
