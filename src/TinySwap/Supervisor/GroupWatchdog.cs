using System.Globalization;
using System.Text;
using TinySwap.Native;

namespace TinySwap.Supervisor;

/// <summary>
/// `tinyswap __watchdog`: a small process of our own binary that outlives us to kill what PR_SET_PDEATHSIG
/// cannot reach. The death signal goes to our direct children only; a model's own children (vLLM's
/// workers, a wrapper script's server) would be orphaned when tinyswap is SIGKILLed. We tell the watchdog,
/// through its stdin, each process group we create and reap ("+PGID", "-PGID"); our end of that pipe is
/// closed by the kernel whatever way we die, and on EOF the watchdog SIGKILLs every group still listed.
/// It exists only when we have a launcher (our own binary) and starts with the first shimmed child.
/// </summary>
internal static unsafe partial class GroupWatchdog
{
    public const string Verb = "__watchdog";

    private static readonly object Gate = new();
    private static readonly HashSet<int> Groups = [];
    private static int s_writeFd = -1;
    private static ChildProcess? s_process;

    /// <summary>The watchdog's pid while it runs.</summary>
    public static int? Pid => s_process is { Exited.IsCompleted: false } p ? p.Pid : null;

    /// <summary>Starts the watchdog if it is not running (again). Spawn thread only: it spawns inline.</summary>
    public static void EnsureRunning(string launcher)
    {
        lock (Gate)
        {
            if (s_writeFd >= 0 && s_process is { Exited.IsCompleted: false })
                return;
            CloseWriteEnd();

            int* fds = stackalloc int[2];
            if (Sys.pipe2(fds, LibC.O_CLOEXEC) != 0)
                return; // no watchdog this time; the death signal still covers our direct children
            // Spawned directly, not through the shim: it must not die with us, it must notice that we did.
            var result = SpawnThread.Spawn(new SpawnSpec(
                launcher, [launcher, Verb], ["PATH=/usr/bin:/bin"], Launcher: null, new DiscardSink(),
                KillGroupOnExit: true, TimeSpan.Zero, Stdin: fds[0]));
            Sys.close(fds[0]);
            if (result.Child is null)
            {
                Sys.close(fds[1]);
                return;
            }
            s_process = result.Child;
            s_writeFd = fds[1];
            foreach (var group in Groups)
                Send('+', group); // a restarted watchdog learns what its predecessor knew
        }
    }

    public static void Register(int processGroup)
    {
        lock (Gate)
        {
            if (Groups.Add(processGroup))
                Send('+', processGroup);
        }
    }

    public static void Unregister(int processGroup)
    {
        lock (Gate)
        {
            if (Groups.Remove(processGroup))
                Send('-', processGroup);
        }
    }

    private static void Send(char op, int processGroup)
    {
        if (s_writeFd < 0)
            return;
        var line = Encoding.ASCII.GetBytes(op + processGroup.ToString(CultureInfo.InvariantCulture) + "\n");
        fixed (byte* bytes = line)
        {
            // Lines are far below PIPE_BUF, so each write is atomic. EPIPE (SIGPIPE is ignored under .NET):
            // the watchdog died; the next spawn starts another.
            if (Sys.write(s_writeFd, bytes, line.Length) != line.Length)
                CloseWriteEnd();
        }
    }

    private static void CloseWriteEnd()
    {
        if (s_writeFd >= 0)
            Sys.close(s_writeFd);
        s_writeFd = -1;
    }

    private sealed class DiscardSink : IOutputSink
    {
        public void OnLine(OutputStream stream, string line)
        {
        }
    }
}
