using System.Runtime.InteropServices;

namespace TinySwap.Native;

/// <summary>errno values as text for messages a user reads ("No such file or directory (ENOENT)").</summary>
internal static class Errno
{
    public static int Last => Marshal.GetLastPInvokeError();

    public static string Describe(int errno) => $"{Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})";
}
