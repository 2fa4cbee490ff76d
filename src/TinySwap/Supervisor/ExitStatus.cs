using TinySwap.Native;

namespace TinySwap.Supervisor;

/// <summary>How a child ended: an exit code, a terminating signal, or unknown (someone else reaped it).</summary>
internal readonly record struct ExitStatus(int? Code, int? Signal)
{
    /// <summary>waitpid said ECHILD: as PID 1, or with SIGCHLD ignored, the .NET runtime reaps every child itself.</summary>
    public static readonly ExitStatus Unknown = new(null, null);

    public static ExitStatus FromWaitStatus(int status) =>
        WaitStatus.Signaled(status) ? new(null, WaitStatus.TermSignal(status)) : new(WaitStatus.ExitCode(status), null);

    /// <summary>The shell convention: the exit code, or 128 + signal; null when unknown.</summary>
    public int? ShellCode => Code ?? (Signal is { } s ? 128 + s : null);

    public override string ToString() => (Code, Signal) switch
    {
        ({ } code, _) => $"exit code {code}",
        (_, { } signal) => $"killed by signal {signal}{SignalName(signal)}",
        _ => "exited, status unknown (reaped by someone else)",
    };

    private static string SignalName(int signal) => signal switch
    {
        LibC.SIGKILL => " (SIGKILL)",
        LibC.SIGTERM => " (SIGTERM)",
        LibC.SIGINT => " (SIGINT)",
        LibC.SIGPIPE => " (SIGPIPE)",
        LibC.SIGHUP => " (SIGHUP)",
        11 => " (SIGSEGV)",
        6 => " (SIGABRT)",
        _ => "",
    };
}
