using System.Diagnostics;
using System.Globalization;
using TinySwap.Contracts;

namespace TinySwap.Systemd;

/// <summary>The sd_notify messages tinyswap sends, as text (pure: the tests read the same strings off a socket).</summary>
internal static class NotifyMessages
{
    public static string Ready(string status) => "READY=1\nSTATUS=" + status;

    /// <summary>
    /// RELOADING=1 must carry the CLOCK_MONOTONIC time in microseconds (systemd 253+ uses it to match the reload to
    /// our READY=1 that ends it). .NET's Stopwatch reads CLOCK_MONOTONIC on Linux.
    /// </summary>
    public static string Reloading(long monotonicTimestamp) =>
        "RELOADING=1\nSTATUS=reloading the config\nMONOTONIC_USEC=" +
        ((long)(monotonicTimestamp * (1_000_000.0 / Stopwatch.Frequency))).ToString(CultureInfo.InvariantCulture);

    public const string Stopping = "STOPPING=1\nSTATUS=stopping: draining requests and stopping models";

    public static string Watchdog(string status) => "WATCHDOG=1\nSTATUS=" + status;

    /// <summary>What `systemctl status tinyswap` shows: the models that are loaded (ready or asleep) out of all.</summary>
    public static string Status(IReadOnlyList<ModelStatus> models)
    {
        var loaded = models.Where(m => m.State is ModelState.Ready or ModelState.Sleeping or ModelState.Starting).ToList();
        if (loaded.Count == 0)
            return $"serving, no model loaded ({models.Count} configured)";
        var names = string.Join(", ", loaded.Select(m => m.State == ModelState.Ready ? m.Id : $"{m.Id} ({StateName(m.State)})"));
        return $"serving, loaded: {names} ({models.Count} configured)";
    }

    private static string StateName(ModelState state) => state == ModelState.Sleeping ? "asleep" : "starting";
}
