namespace TinySwap.Cli;

/// <summary>Process exit codes (documented in README: "Exit codes").</summary>
internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The config cannot be read or is invalid; nothing was started.</summary>
    public const int ConfigInvalid = 1;

    /// <summary>Bad command line (unknown flag, missing value).</summary>
    public const int Usage = 2;

    /// <summary>The config is valid but serving could not start (e.g. the listen address is taken).</summary>
    public const int StartupFailed = 3;
}
