using System.Globalization;
using System.Runtime.CompilerServices;

namespace TinySwap.Tests.Support;

/// <summary>
/// Marks everything the test host starts, so nothing outlives a crashed or killed test run. Each fixture already kills
/// its own processes on dispose; this covers what dispose never gets to run for (a test host killed by the hang
/// timeout, an OOM kill, a crash). Every descendant inherits <see cref="Variable"/> = "PID:STARTTIME" of this host
/// (the start time guards against pid reuse). A new test host, and `make test` after the run
/// (tests/sweep-orphans.sh), SIGKILL every process whose marked host is gone.
/// </summary>
internal static class TestHostMark
{
    public const string Variable = "TINYSWAP_TEST_HOST";

    [ModuleInitializer]
    internal static void MarkAndSweep()
    {
        Environment.SetEnvironmentVariable(Variable, Of(Environment.ProcessId));
        SweepOrphans();
    }

    /// <summary>"PID:STARTTIME" of a live process, or null when it is gone.</summary>
    public static string? Of(int pid) => StartTime(pid) is { } start ? $"{pid}:{start}" : null;

    /// <summary>Kills every process marked by a host that is no longer running; returns the pids it killed.</summary>
    public static List<int> SweepOrphans()
    {
        var killed = new List<int>();
        foreach (var (pid, mark) in ProcessTable.EnvironmentValues(Variable))
        {
            if (HostIsGone(mark) && ProcessTable.Kill(pid, ProcessTable.SIGKILL) == 0)
                killed.Add(pid);
        }
        return killed;
    }

    private static bool HostIsGone(string mark)
    {
        var colon = mark.IndexOf(':');
        if (colon < 0 || !int.TryParse(mark.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var host))
            return false; // not a mark we wrote: leave it alone
        return Of(host) != mark;
    }

    // Field 22 of /proc/PID/stat (proc(5)): clock ticks since boot when the process started.
    private static string? StartTime(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        // comm (field 2) may hold spaces and parentheses; the fields after the last ')' start at field 3.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return fields.Length > 19 ? fields[19] : null;
    }
}
