using System.Diagnostics;

namespace TinySwap.Supervisor;

// Start: port check, spawn, health, afterHealthy; and the health loop shared with wake.
internal sealed partial class ModelProcess
{
    private static readonly TimeSpan MinProbeInterval = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan MaxProbeInterval = TimeSpan.FromMilliseconds(250);

    public async Task<StartOutcome> StartAsync(CancellationToken cancel)
    {
        var started = Stopwatch.GetTimestamp();
        _attemptOutput = _output.Mark;
        StartOutcome outcome;
        try
        {
            outcome = Config.IsExternallyManaged ? await StartExternalAsync(started, cancel) : await SpawnAsync(started, cancel);
        }
        catch (Exception e)
        {
            outcome = StartOutcome.Failed("unexpected error while starting: " + e.Message, null, Elapsed(started));
        }
        _options.Metrics.RecordStart(Config.Id, outcome.Elapsed, !outcome.IsReady);
        if (outcome.IsReady)
            SupervisorLog.Ready(_options.Logger, Config.Id, outcome.Elapsed.TotalMilliseconds);
        else
            SupervisorLog.StartFailed(_options.Logger, Config.Id, outcome.FailureReason!);
        return outcome;
    }

    private async Task<StartOutcome> SpawnAsync(long started, CancellationToken cancel)
    {
        if (_child is { Exited.IsCompleted: false } running)
            return StartOutcome.Failed($"already running as pid {running.Pid}", null, Elapsed(started));
        if (PortCheck.Check(Config.Proxy) is { } portTaken)
            return StartOutcome.Failed(portTaken, null, Elapsed(started));

        var env = ChildEnvironment.For(Config);
        var (executable, notFound) = ExecutableResolver.Resolve(Config.Command[0], env.GetValueOrDefault("PATH"));
        if (executable is null)
            return StartOutcome.Failed("cannot start: " + notFound, null, Elapsed(started));

        var spawn = await SpawnThread.Instance.SpawnAsync(new SpawnSpec(
            executable, Config.Command, ChildEnvironment.ToEntries(env), _options.Launcher,
            new RingSink(_output, _options.Logger, Config.Id, tap: _options.OutputLine), KillGroupOnExit: true, _options.OutputDrainTimeout));
        if (spawn.Child is not { } child)
            return StartOutcome.Failed(spawn.Error!, null, Elapsed(started));
        _child = child;
        _options.Spawned?.Invoke(child.Pid);
        SupervisorLog.Spawned(_options.Logger, Config.Id, child.Pid, string.Join(' ', Config.Command));

        try
        {
            if (await WaitHealthyAsync(child, started, cancel) is { } unhealthy)
            {
                if (!child.Exited.IsCompleted)
                    await TerminateAsync(child); // never became ready: no beforeStop
                _child = null;
                return unhealthy with { Elapsed = Elapsed(started) };
            }
            await RunSlotActionsAsync("restore", Config.Slots.RestoreOnStart, cancel);
            await RunAfterHealthyAsync(child.Pid, cancel);
        }
        catch (OperationCanceledException)
        {
            await TerminateAsync(child);
            _child = null;
            return StartOutcome.Failed("start cancelled", null, Elapsed(started));
        }

        if (child.Exited.IsCompleted)
            return await ExitedDuringStartAsync(child, started);
        BeginServing(child);
        return StartOutcome.Ready(Elapsed(started));
    }

    private async Task<StartOutcome> StartExternalAsync(long started, CancellationToken cancel)
    {
        if (Config.Hooks.Wake is not { } wake)
            return StartOutcome.Failed("no cmd and no wake hook: nothing can start this model", null, Elapsed(started));
        try
        {
            var run = await _hooks.RunScriptAsync("wake", wake, null, cancel);
            if (!run.Outcome.Succeeded)
                return StartOutcome.Failed("wake hook failed: " + run.FailureReason, run.Outcome.ExitCode, Elapsed(started));
            if (await WaitHealthyAsync(null, started, cancel) is { } unhealthy)
                return unhealthy with { Elapsed = Elapsed(started) };
            await RunAfterHealthyAsync(null, cancel);
        }
        catch (OperationCanceledException)
        {
            return StartOutcome.Failed("start cancelled", null, Elapsed(started));
        }
        BeginServing(null);
        return StartOutcome.Ready(Elapsed(started));
    }

    private async Task RunAfterHealthyAsync(int? pid, CancellationToken cancel)
    {
        if (Config.Hooks.AfterHealthy is not { } script)
            return;
        // The slot-restore case: worth waiting for, not worth refusing to serve over.
        var run = await _hooks.RunScriptAsync("afterHealthy", script, pid, cancel);
        cancel.ThrowIfCancellationRequested();
        if (!run.Outcome.Succeeded)
            SupervisorLog.AfterHealthyFailed(_options.Logger, Config.Id);
    }

    /// <summary>
    /// Probes until healthy; null when it is, else the failure. The interval grows with the time already
    /// spent (a fiftieth of it, between 5 and 250 ms): a server ready in 0.5 s is seen within ~10 ms (the
    /// swap-overhead benchmark), a 30 s model load costs at most 250 ms more, an exit ends the wait at once,
    /// and a load costs a few hundred probes in all, each a sub-millisecond GET.
    /// </summary>
    private async Task<StartOutcome?> WaitHealthyAsync(ChildProcess? child, long started, CancellationToken cancel)
    {
        if (Config.CheckEndpoint is null)
            return null;
        var url = HealthUrl();
        while (true)
        {
            var probeStarted = Stopwatch.GetTimestamp();
            var probe = _options.HealthProbe.ProbeAsync(url, cancel);
            // The exit first: when both are done (a refused connect fails at once) WhenAny picks the earlier argument,
            // and a probe picked every time would spin until healthCheckTimeout after the child is gone.
            if (child is not null && await Task.WhenAny(child.Exited, probe) == child.Exited)
                return await ExitedDuringStartAsync(child, started);
            var last = await probe;
            SupervisorLog.Probe(_options.Logger, Config.Id, url, last, Elapsed(probeStarted).TotalMilliseconds);
            if (last.IsHealthy)
                return null;

            var elapsed = Elapsed(started);
            var left = Config.HealthCheckTimeout - elapsed;
            if (left <= TimeSpan.Zero)
                return StartOutcome.Failed($"not healthy within healthCheckTimeout ({Config.HealthCheckTimeout.TotalSeconds:0.###} s); last probe of {url}: {last}", null, elapsed);
            var interval = TimeSpan.FromTicks(Math.Clamp(elapsed.Ticks / 50, MinProbeInterval.Ticks, MaxProbeInterval.Ticks));
            var delay = Task.Delay(interval < left ? interval : left, cancel);
            await Task.WhenAny(delay, child?.Exited ?? delay);
            cancel.ThrowIfCancellationRequested();
        }
    }

    private async Task<StartOutcome> ExitedDuringStartAsync(ChildProcess child, long started)
    {
        var exit = await child.Exited;
        await child.WaitForOutputAsync(_options.OutputDrainTimeout * 2);
        _child = null;
        return StartOutcome.Failed($"exited during start ({exit}); last output: {LastOutput()}", exit.ShellCode, Elapsed(started));
    }

    /// <summary>`proxy` (whose path, if any, is a prefix) + `checkEndpoint`.</summary>
    private Uri HealthUrl()
    {
        var prefix = Config.Proxy.AbsolutePath.TrimEnd('/');
        var endpoint = Config.CheckEndpoint!.StartsWith('/') ? Config.CheckEndpoint : "/" + Config.CheckEndpoint;
        return new Uri(Config.Proxy, prefix + endpoint);
    }
}
