using System.Diagnostics;
using TinySwap.Config;
using TinySwap.Native;

namespace TinySwap.Supervisor;

/// <summary>A finished hook: the contract's outcome plus a sentence saying why it failed.</summary>
internal sealed record HookRun(HookOutcome Outcome, string? FailureReason);

/// <summary>
/// Runs hooks (`/bin/sh -c SCRIPT`) and `cmdStop` (an argv) for one model: own session and process group,
/// the model's environment plus TINYSWAP_MODEL/TINYSWAP_HOOK/PORT/PID, output into the model's ring (capped),
/// and after the timeout SIGKILL to the whole group. Never throws.
/// </summary>
internal sealed class HookRunner(ModelConfig model, SupervisorOptions options, OutputRing ring)
{
    public Task<HookRun> RunScriptAsync(string hook, string script, int? pid, CancellationToken cancel) =>
        RunAsync(hook, ["/bin/sh", "-c", script], pid, cancel);

    public async Task<HookRun> RunAsync(string hook, IReadOnlyList<string> argv, int? pid, CancellationToken cancel)
    {
        var started = Stopwatch.GetTimestamp();
        var run = await RunCoreAsync(hook, argv, pid, cancel);
        var elapsed = Stopwatch.GetElapsedTime(started);
        run = run with { Outcome = run.Outcome with { Elapsed = elapsed } };
        options.Metrics.RecordHook(model.Id, hook, elapsed, !run.Outcome.Succeeded);
        if (run.Outcome.Succeeded)
            SupervisorLog.HookSucceeded(options.Logger, model.Id, hook, elapsed.TotalMilliseconds);
        else
            SupervisorLog.HookFailed(options.Logger, model.Id, hook, elapsed.TotalMilliseconds, run.FailureReason ?? "failed");
        return run;
    }

    private async Task<HookRun> RunCoreAsync(string hook, IReadOnlyList<string> argv, int? pid, CancellationToken cancel)
    {
        var env = ChildEnvironment.For(model, hook, pid);
        var (executable, notFound) = ExecutableResolver.Resolve(argv[0], env.GetValueOrDefault("PATH"));
        if (executable is null)
            return Failed(null, false, notFound!);

        var sink = new RingSink(ring, options.Logger, model.Id, $"[{hook}] ", options.HookOutputCapChars, options.OutputLine);
        var spawn = await SpawnThread.Instance.SpawnAsync(new SpawnSpec(
            executable, argv, ChildEnvironment.ToEntries(env), options.Launcher, sink,
            KillGroupOnExit: false, options.OutputDrainTimeout));
        if (spawn.Child is not { } child)
            return Failed(null, false, spawn.Error!);
        options.Spawned?.Invoke(child.Pid);
        SupervisorLog.HookStarted(options.Logger, model.Id, hook, child.Pid);

        bool timedOut = false, cancelled = false;
        try
        {
            await child.Exited.WaitAsync(model.HookTimeout, cancel);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            // A hook that hangs (or whose caller gave up) loses its whole group, backgrounded children included.
            timedOut = e is TimeoutException;
            cancelled = !timedOut;
            child.SignalGroup(LibC.SIGKILL);
            await child.WaitForExitAsync(options.KillWaitTimeout);
        }
        // Whatever a backgrounded descendant still writes is not waited for beyond the drain timeout.
        await child.WaitForOutputAsync(options.OutputDrainTimeout * 2);

        var exit = child.ExitStatusOrUnknown;
        if (timedOut)
            return Failed(exit.ShellCode, true, $"timed out after {model.HookTimeout.TotalSeconds:0.###} s; its process group was killed");
        if (cancelled)
            return Failed(exit.ShellCode, false, "cancelled; its process group was killed");
        // Unknown: someone else reaped it (we run as PID 1 and the runtime reaps everything). Assume success
        // rather than fail every hook there (an `alive` hook would restart the model forever).
        if (exit.Code == 0 || exit == ExitStatus.Unknown)
            return new HookRun(new HookOutcome(true, exit.Code, false, TimeSpan.Zero), null);
        var lines = new List<string>(ring.Last(options.QuotedLines, OutputStream.Stderr));
        lines.RemoveAll(l => !l.StartsWith($"[{hook}] ", StringComparison.Ordinal));
        var stderr = string.Join(" | ", lines);
        return Failed(exit.ShellCode, false, stderr.Length == 0 ? exit.ToString() : $"{exit}: {stderr}");
    }

    private static HookRun Failed(int? exitCode, bool timedOut, string reason) =>
        new(new HookOutcome(false, exitCode, timedOut, TimeSpan.Zero), reason);
}
