using System.Runtime.InteropServices;

namespace TinySwap.Native;

/// <summary>errno after our own [LibraryImport]s (SetLastError; Tmds.LibC calls read Sys.errno), and errno values as text for messages ("No such file or directory (errno 2)").</summary>
internal static class Errno
{
    /// <summary>errno as the last P/Invoke left it: Tmds.LibC's calls and our LibraryImports with SetLastError share it.</summary>
    public static int Last => Sys.errno;

    public static string Describe(int errno) => $"{Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})";
}
