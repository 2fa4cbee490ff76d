namespace TinySwap.Native;

/// <summary>The W* macros of &lt;sys/wait.h&gt; over a waitpid status word (glibc's encoding, every Linux architecture).</summary>
internal static class WaitStatus
{
    public static bool Exited(int status) => (status & 0x7f) == 0;

    public static int ExitCode(int status) => (status >> 8) & 0xff;

    /// <summary>WIFSIGNALED: low 7 bits hold the signal, excluding 0 (exited) and 0x7f (stopped).</summary>
    public static bool Signaled(int status) => (sbyte)((status & 0x7f) + 1) >> 1 > 0;

    public static int TermSignal(int status) => status & 0x7f;
}
