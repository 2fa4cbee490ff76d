using System.Runtime.InteropServices;

namespace TinySwap.Native;

// Files: only what the upload spill (UnlinkedTempFile) needs.
internal static unsafe partial class LibC
{
    /// <summary>
    /// open(2) is variadic in C; the mode is read only with O_CREAT or O_TMPFILE, and on x64 and arm64 Linux a
    /// variadic int is passed exactly like a fixed one, so a fixed third parameter is correct.
    /// </summary>
    [LibraryImport(Lib, EntryPoint = "open", SetLastError = true)]
    public static partial int open(byte* path, int flags, uint mode);

    [LibraryImport(Lib, EntryPoint = "unlink", SetLastError = true)]
    public static partial int unlink(byte* path);
}
