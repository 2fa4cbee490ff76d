using System.Runtime.InteropServices;

namespace TinySwap.Native;

/// <summary>errno values as text for messages a user reads ("No such file or directory (ENOENT)").</summary>
internal static class Errno
{
    /// <summary>errno as the last P/Invoke left it: Tmds.LibC's calls and our LibraryImports with SetLastError share it.</summary>
    public static int Last => Sys.errno;

    public static string Describe(int errno) => $"{Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})";
}
