using TinySwap.Config;

namespace TinySwap.Supervisor;

/// <summary>
/// The router's handle on one model's server. Only the router loop calls it, one operation at a time; each
/// operation completes on its own and the loop learns the outcome by posting it back to itself.
/// </summary>
internal interface IModelProcess
{
    ModelConfig Config { get; }

    /// <summary>Pid of the server (its process group leader) while one runs.</summary>
    int? Pid { get; }

    /// <summary>Spawn (or, for a model without `cmd`, run `wake`), wait for health, run `afterHealthy`. Never throws.</summary>
    Task<StartOutcome> StartAsync(CancellationToken cancel);

    /// <summary>Run `sleep`, leaving the process alive. A failed outcome means the caller must stop it instead.</summary>
    Task<HookOutcome> SleepAsync(CancellationToken cancel);

    /// <summary>Run `wake` on a sleeping process and wait for health again. Never throws.</summary>
    Task<StartOutcome> WakeAsync(CancellationToken cancel);

    /// <summary>`beforeStop`, then `cmdStop` or SIGTERM to the group, the grace period, SIGKILL, reap. Never throws; completes when nothing of the group remains.</summary>
    Task<StopOutcome> StopAsync(StopReason reason);

    /// <summary>The last lines the server wrote to stdout/stderr, oldest first.</summary>
    IReadOnlyList<string> RecentOutput(int maxLines);
}

/// <summary>Creates processes; <paramref name="onFault"/> is called (on any thread) when a ready or sleeping process dies or fails its `alive` hook.</summary>
internal interface IModelProcessFactory
{
    IModelProcess Create(ModelConfig config, Action<ModelFault> onFault);
}

internal enum StopReason { Swap, Ttl, Unload, Reload, Shutdown, Failure }

/// <summary>Result of a start or wake: ready, or why not (exit code and last output lines when the process died).</summary>
internal sealed record StartOutcome(bool IsReady, string? FailureReason, int? ExitCode, TimeSpan Elapsed)
{
    public static StartOutcome Ready(TimeSpan elapsed) => new(true, null, null, elapsed);
    public static StartOutcome Failed(string reason, int? exitCode, TimeSpan elapsed) => new(false, reason, exitCode, elapsed);
}

internal sealed record HookOutcome(bool Succeeded, int? ExitCode, bool TimedOut, TimeSpan Elapsed);

internal sealed record StopOutcome(bool Killed, int? ExitCode, TimeSpan Elapsed);

/// <summary>A process that was serving (or sleeping) died or failed its `alive` check.</summary>
internal sealed record ModelFault(string ModelId, string Reason, int? ExitCode);
