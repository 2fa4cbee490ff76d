using System.Globalization;

namespace TinySwap.Systemd;

/// <summary>When systemd expects WATCHDOG=1 from us (WatchdogSec=, passed as WATCHDOG_USEC and WATCHDOG_PID).</summary>
internal static class WatchdogInterval
{
    public const string UsecVariable = "WATCHDOG_USEC";
    public const string PidVariable = "WATCHDOG_PID";

    /// <summary>
    /// How often to ping: half the timeout, as sd_watchdog_enabled(3) advises, so one late tick is not a restart. Null
    /// when no watchdog is set or it is meant for another process (WATCHDOG_PID names the main pid; a model we spawned
    /// before the variables were removed must not ping for us).
    /// </summary>
    public static TimeSpan? Parse(string? usec, string? pid, int ourPid)
    {
        if (!long.TryParse(usec, NumberStyles.None, CultureInfo.InvariantCulture, out var microseconds) || microseconds <= 0)
            return null;
        if (!string.IsNullOrEmpty(pid) && (!int.TryParse(pid, NumberStyles.None, CultureInfo.InvariantCulture, out var target) || target != ourPid))
            return null;
        return TimeSpan.FromMicroseconds(microseconds / 2.0);
    }

    /// <summary>Reads and removes the variables (as sd_watchdog_enabled(unset_environment=1) does).</summary>
    public static TimeSpan? FromEnvironment()
    {
        var interval = Parse(Environment.GetEnvironmentVariable(UsecVariable), Environment.GetEnvironmentVariable(PidVariable), Environment.ProcessId);
        Environment.SetEnvironmentVariable(UsecVariable, null);
        Environment.SetEnvironmentVariable(PidVariable, null);
        return interval;
    }
}
