using System.Diagnostics;

namespace TinySwap.Supervisor;

// Sleep and wake (llmux semantics): the process stays alive between them; `alive` pauses while asleep.
internal sealed partial class ModelProcess
{
    public async Task<HookOutcome> SleepAsync(CancellationToken cancel)
    {
        if (Config.Hooks.Sleep is not { } sleep)
            return new HookOutcome(false, null, false, TimeSpan.Zero);
        StopAliveLoop();
        var run = await _hooks.RunScriptAsync("sleep", sleep, Pid, cancel);
        // A failed sleep leaves the session as it is: the caller stops the process next.
        return run.Outcome;
    }

    public async Task<StartOutcome> WakeAsync(CancellationToken cancel)
    {
        var started = Stopwatch.GetTimestamp();
        if (Config.Hooks.Wake is not { } wake)
            return StartOutcome.Failed("no wake hook", null, Elapsed(started));
        var child = _child;
        if (!Config.IsExternallyManaged && child is not { Exited.IsCompleted: false })
            return StartOutcome.Failed("no sleeping process to wake", null, Elapsed(started));
        try
        {
            var run = await _hooks.RunScriptAsync("wake", wake, child?.Pid, cancel);
            if (!run.Outcome.Succeeded)
                return StartOutcome.Failed("wake hook failed: " + run.FailureReason, run.Outcome.ExitCode, Elapsed(started));
            if (await WaitHealthyAsync(child, started, cancel) is { } unhealthy)
                return unhealthy with { Elapsed = Elapsed(started) };
        }
        catch (OperationCanceledException)
        {
            return StartOutcome.Failed("wake cancelled", null, Elapsed(started));
        }
        // Same session as before the sleep (a crash while asleep has disarmed it and been reported).
        var session = Volatile.Read(ref _armed);
        if (session == 0)
            return StartOutcome.Failed("the process died while asleep", child?.ExitStatusOrUnknown.ShellCode, Elapsed(started));
        StartAliveLoop(session);
        return StartOutcome.Ready(Elapsed(started));
    }
}
