using System.Diagnostics;
using System.Globalization;
using TinySwap.Native;

namespace TinySwap.Supervisor;

// Stop: beforeStop, then cmdStop or SIGTERM (+ SIGCONT) to the group, the grace period, SIGKILL, reap.
internal sealed partial class ModelProcess
{
    public async Task<StopOutcome> StopAsync(StopReason reason)
    {
        var started = Stopwatch.GetTimestamp();
        // Disarm first: from here on the process ending is our doing, not a crash to report.
        var wasServing = Interlocked.Exchange(ref _armed, 0) != 0;
        StopAliveLoop();
        try
        {
            if (Config.IsExternallyManaged)
                return await StopExternalAsync(wasServing, started);
            if (_child is not { } child)
                return new StopOutcome(false, null, Elapsed(started));

            SupervisorLog.Stopping(_options.Logger, Config.Id, child.Pid, reason);
            // The slot-save case: stopping waits for it, and stops whatever it returns.
            if (wasServing && !child.Exited.IsCompleted && Config.Hooks.BeforeStop is { } beforeStop)
                await _hooks.RunScriptAsync("beforeStop", beforeStop, child.Pid, CancellationToken.None);
            if (wasServing && !child.Exited.IsCompleted)
                await RunSlotActionsAsync("save", Config.Slots.SaveOnStop, CancellationToken.None);

            var (killed, exit) = await TerminateAsync(child);
            _child = null;
            var elapsed = Elapsed(started);
            _options.Metrics.RecordStop(Config.Id, elapsed, killed);
            SupervisorLog.Stopped(_options.Logger, Config.Id, child.Pid, elapsed.TotalMilliseconds, exit.ToString());
            return new StopOutcome(killed, exit.ShellCode, elapsed);
        }
        catch (Exception e)
        {
            SupervisorLog.StopFailed(_options.Logger, Config.Id, e.Message);
            return new StopOutcome(false, null, Elapsed(started));
        }
    }

    /// <summary>Ends the process and its group; completes once the leader is reaped and its output drained.</summary>
    private async Task<(bool Killed, ExitStatus Exit)> TerminateAsync(ChildProcess child)
    {
        Task<HookRun>? stopCommand = null;
        if (!child.Exited.IsCompleted)
        {
            if (!Config.StopCommand.IsEmpty)
            {
                var pid = child.Pid.ToString(CultureInfo.InvariantCulture);
                string[] argv = [.. Config.StopCommand];
                for (var i = 0; i < argv.Length; i++)
                    argv[i] = argv[i].Replace("${PID}", pid, StringComparison.Ordinal);
                stopCommand = _hooks.RunAsync("cmdStop", argv, child.Pid, CancellationToken.None);
            }
            else
            {
                // To the group, so a forked grandchild gets it too. SIGCONT after SIGTERM: a process stopped by
                // SIGSTOP/SIGTSTP keeps SIGTERM pending until continued (SIGKILL alone would not need it).
                child.SignalGroup(LibC.SIGTERM);
                child.SignalGroup(LibC.SIGCONT);
            }
        }

        var killed = false;
        if (!await child.WaitForExitAsync(Config.UnloadTimeout))
        {
            SupervisorLog.StopEscalated(_options.Logger, Config.Id, child.Pid, Config.UnloadTimeout);
            child.SignalGroup(LibC.SIGKILL);
            killed = true;
            if (!await child.WaitForExitAsync(_options.KillWaitTimeout))
                SupervisorLog.StopStuck(_options.Logger, Config.Id, child.Pid, _options.KillWaitTimeout);
        }
        // Never wait for EOF to decide the process is gone (a grandchild outside the group could hold the
        // pipe forever): the watcher closes our ends at the latest a drain timeout after the exit.
        await child.WaitForOutputAsync(_options.OutputDrainTimeout * 2);
        if (stopCommand is not null)
            await stopCommand; // bounded by hookTimeout, after which its group is killed
        return (killed, child.ExitStatusOrUnknown);
    }

    /// <summary>A model without `cmd`: beforeStop, then `cmdStop` if given, else the `sleep` hook takes it down.</summary>
    private async Task<StopOutcome> StopExternalAsync(bool wasServing, long started)
    {
        if (wasServing && Config.Hooks.BeforeStop is { } beforeStop)
            await _hooks.RunScriptAsync("beforeStop", beforeStop, null, CancellationToken.None);
        if (!Config.StopCommand.IsEmpty)
            await _hooks.RunAsync("cmdStop", Config.StopCommand, null, CancellationToken.None);
        else if (Config.Hooks.Sleep is { } sleep)
            await _hooks.RunScriptAsync("sleep", sleep, null, CancellationToken.None);
        var elapsed = Elapsed(started);
        _options.Metrics.RecordStop(Config.Id, elapsed, killed: false);
        return new StopOutcome(false, null, elapsed);
    }
}
