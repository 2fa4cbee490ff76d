using System.Runtime.InteropServices;

namespace TinySwap.Native;

/// <summary>
/// Whether OpenSSL's libssl can be loaded, asked before anything touches TLS or X.509. .NET loads libssl lazily (the
/// binary starts and serves plain HTTP without it), but when its crypto shim finds no libssl at first use it prints
/// "No usable version of libssl was found" and calls abort(): one https request would kill the process. So we dlopen
/// the same names first and turn a missing library into an error value.
/// </summary>
internal static class OpenSsl
{
    // The sonames .NET's opensslshim.c tries, newest first; CLR_OPENSSL_VERSION_OVERRIDE names one to try before them.
    private static readonly string[] Versions = ["3", "1.1", "1.0.2", "1.0.0", "10"];

    private static readonly Lazy<bool> Loadable = new(Probe);

    /// <summary>What a user is told when TLS is needed and libssl is missing.</summary>
    public const string MissingMessage = "https needs OpenSSL's libssl (Debian/Ubuntu package libssl3), which is not installed";

    public static bool IsAvailable => Loadable.Value;

    private static bool Probe()
    {
        if (Environment.GetEnvironmentVariable("CLR_OPENSSL_VERSION_OVERRIDE") is { Length: > 0 } version && TryLoad(version))
            return true;
        foreach (var candidate in Versions)
        {
            if (TryLoad(candidate))
                return true;
        }
        return false;
    }

    // The handle stays open: the runtime's shim loads the same library right after, and unloading gains nothing.
    private static bool TryLoad(string version) => NativeLibrary.TryLoad("libssl.so." + version, out _);
}
