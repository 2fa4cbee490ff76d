using System.Runtime.InteropServices;

namespace TinySwap.Native;

/// <summary>errno after our own [LibraryImport]s (SetLastError; Tmds.LibC calls read Sys.errno), and errno values as text for messages ("No such file or directory (errno 2)").</summary>
internal static class Errno
{
    public static int Last => Marshal.GetLastPInvokeError();

    public static string Describe(int errno) => $"{Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})";
}
