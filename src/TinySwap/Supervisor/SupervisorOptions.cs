using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TinySwap.Observability;

namespace TinySwap.Supervisor;

/// <summary>How model processes are run; the defaults are the product's, tests override the launcher and timings.</summary>
internal sealed record SupervisorOptions
{
    /// <summary>
    /// Our own binary, run as `__exec` shim in front of every child so it dies with us (see <see cref="ExecShim"/>).
    /// Null spawns directly: then a SIGKILLed tinyswap leaves its children running.
    /// </summary>
    public string? Launcher { get; init; } = DefaultLauncher();

    public IHealthProbe HealthProbe { get; init; } = UpstreamHealthProbe.Default;

    public ILogger Logger { get; init; } = NullLogger.Instance;

    public SupervisorMetrics Metrics { get; init; } = new();

    /// <summary>Told every output line of a model's processes (server and hooks) as it arrives: (model id, pipe, line). Must not block.</summary>
    public Action<string, OutputStream, string>? OutputLine { get; init; }

    /// <summary>Told the pid of every process spawned (servers, hooks, cmdStop), e.g. for tests that must clean up.</summary>
    public Action<int>? Spawned { get; init; }

    /// <summary>After a process exits, how long we keep reading pipes a surviving descendant still holds.</summary>
    public TimeSpan OutputDrainTimeout { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How long to wait for a process to disappear after SIGKILL before reporting it stuck.</summary>
    public TimeSpan KillWaitTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Size of a model's log ring, in characters (~bytes for the ASCII servers write).</summary>
    public int OutputRingChars { get; init; } = 256 * 1024;

    /// <summary>Output one hook run may add to the ring; the rest is dropped with one note.</summary>
    public int HookOutputCapChars { get; init; } = 64 * 1024;

    /// <summary>Lines of output quoted in failure reasons and crash logs.</summary>
    public int QuotedLines { get; init; } = 10;

    /// <summary>The running binary, unless it is the `dotnet` host (running tinyswap.dll), which has no shim mode.</summary>
    private static string? DefaultLauncher()
    {
        var path = Environment.ProcessPath;
        return path is null || Path.GetFileNameWithoutExtension(path) == "dotnet" ? null : path;
    }
}
