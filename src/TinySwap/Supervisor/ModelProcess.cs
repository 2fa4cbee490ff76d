using System.Diagnostics;
using TinySwap.Config;

namespace TinySwap.Supervisor;

/// <summary>
/// One model's server: spawn, health, hooks, sleep/wake and stop. The router calls one operation at a time;
/// the only concurrent actors are the crash watch and the `alive` loop of the current serving session,
/// which report through the fault callback at most once per session (see <see cref="TryDisarm"/>).
/// </summary>
internal sealed partial class ModelProcess : IModelProcess
{
    private readonly Action<ModelFault> _onFault;
    private readonly SupervisorOptions _options;
    private readonly OutputRing _output;
    private readonly HookRunner _hooks;

    private ChildProcess? _child;

    // Where the current start attempt's output begins in the ring: a failure or crash quotes that attempt's lines
    // only, never the previous attempt's again.
    private long _attemptOutput;

    // Serving sessions are numbered; _armed holds the number of the one that may still report a fault,
    // or 0. Whoever swaps it to 0 first (a crash, a failed alive hook, or a deliberate stop) owns the end
    // of the session, so a stop never looks like a crash and a crash is reported once.
    private int _session;
    private int _armed;
    private CancellationTokenSource? _aliveLoop;

    public ModelProcess(ModelConfig config, Action<ModelFault> onFault, SupervisorOptions options)
    {
        Config = config;
        _onFault = onFault;
        _options = options;
        _output = new OutputRing(options.OutputRingChars);
        _hooks = new HookRunner(config, options, _output);
    }

    public ModelConfig Config { get; }

    public int? Pid => _child is { Exited.IsCompleted: false } child ? child.Pid : null;

    public IReadOnlyList<string> RecentOutput(int maxLines) => _output.Last(maxLines);

    private TimeSpan Elapsed(long since) => Stopwatch.GetElapsedTime(since);

    /// <summary>Starts a serving session: arms the crash watch and the alive loop.</summary>
    private void BeginServing(ChildProcess? child)
    {
        var session = Interlocked.Increment(ref _session);
        Volatile.Write(ref _armed, session);
        if (child is not null)
            _ = WatchForCrashAsync(child, session);
        StartAliveLoop(session);
    }

    /// <summary>Ends the session if it is still armed; true for the one caller that ended it.</summary>
    private bool TryDisarm(int session) => Interlocked.CompareExchange(ref _armed, 0, session) == session;

    private async Task WatchForCrashAsync(ChildProcess child, int session)
    {
        var exit = await child.Exited;
        if (!TryDisarm(session))
            return;
        StopAliveLoop();
        // The group was SIGKILLed with the leader, so EOF is immediate unless something escaped the group.
        await child.WaitForOutputAsync(_options.OutputDrainTimeout * 2);
        var lastOutput = LastOutput();
        SupervisorLog.Crashed(_options.Logger, Config.Id, child.Pid, exit.ToString(), lastOutput);
        _onFault(new ModelFault(Config.Id, $"pid {child.Pid} died ({exit}); last output: {lastOutput}", exit.ShellCode));
    }

    private void StartAliveLoop(int session)
    {
        if (Config.Hooks.Alive is not { } alive)
            return;
        var stop = new CancellationTokenSource();
        Interlocked.Exchange(ref _aliveLoop, stop)?.Cancel();
        _ = AliveLoopAsync(alive, session, stop.Token);
    }

    private void StopAliveLoop() => Interlocked.Exchange(ref _aliveLoop, null)?.Cancel();

    private async Task AliveLoopAsync(string script, int session, CancellationToken stop)
    {
        try
        {
            while (true)
            {
                await Task.Delay(Config.AliveInterval, stop);
                var run = await _hooks.RunScriptAsync("alive", script, Pid, stop);
                if (stop.IsCancellationRequested || run.Outcome.Succeeded)
                    continue;
                if (TryDisarm(session))
                {
                    SupervisorLog.AliveFailed(_options.Logger, Config.Id);
                    _onFault(new ModelFault(Config.Id, "alive hook failed: " + run.FailureReason, run.Outcome.ExitCode));
                }
                return;
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>The last lines (stderr preferred, as that is where servers explain themselves), joined for a message.</summary>
    private string LastOutput()
    {
        var lines = _output.Last(_options.QuotedLines, OutputStream.Stderr, _attemptOutput);
        if (lines.Count == 0)
            lines = _output.Last(_options.QuotedLines, since: _attemptOutput);
        return lines.Count == 0 ? "(none)" : string.Join("\n", lines);
    }
}
