using Microsoft.Extensions.Logging;
using TinySwap.Config;
using TinySwap.Contracts;

namespace TinySwap.Router;

/// <summary>
/// The router's decisions, and nothing else: which model runs, who waits, who is granted or refused, when a model is
/// started, slept, stopped or retired. No threads, no clock, no I/O (but log lines): each <see cref="Handle"/> takes one
/// input stamped with the time and returns the effects the shell must carry out, in order. The shell feeds outcomes
/// back as inputs. Partial files by concern: State (every field), Requests (the decision tree), Queue, Swaps, Admin
/// (unload, reload, shutdown), Timers, Describe.
/// </summary>
internal sealed partial class RouterCore
{
    public RouterCore(TinySwapConfig config, RouterOptions options, long timestampFrequency, ILogger logger, long now)
    {
        _config = config;
        _options = options;
        _frequency = timestampFrequency;
        _log = logger;
        _now = now;
        _planner = CreatePlanner(config);
        foreach (var model in config.Models)
            AddSlot(model);
    }

    /// <summary>The effects of the last <see cref="Handle"/> (or of construction: a process per model). Valid until the next call.</summary>
    public IReadOnlyList<RouterEffect> Effects => _effects;

    /// <summary>The config the core works from (the latest reload's).</summary>
    public TinySwapConfig Config => _config;

    /// <summary>Switch cost moving averages per (from, to) pair; safe to read from any thread.</summary>
    public IReadOnlyList<SwitchCost> SwitchCosts => _costs.Published;

    /// <summary>Handles one input; returns the effects to carry out (the same list as <see cref="Effects"/>).</summary>
    public IReadOnlyList<RouterEffect> Handle(in RouterInput input)
    {
        _effects.Clear();
        _now = input.Now;
        switch (input.Kind)
        {
            case RouterInputKind.Acquire:
                OnAcquire(input.Request!);
                break;
            case RouterInputKind.Load:
                OnLoad(input.Request!);
                break;
            case RouterInputKind.Release:
                OnRelease(input.ModelId!, input.Ticket);
                break;
            case RouterInputKind.Cancelled:
                OnCancelled(input.Request!);
                break;
            case RouterInputKind.StartDone when IsCurrent(input):
                OnStartDone(input.Slot!, input.Started!);
                break;
            case RouterInputKind.SleepDone when IsCurrent(input):
                OnSleepDone(input.Slot!, input.Slept!);
                break;
            case RouterInputKind.StopDone when IsCurrent(input):
                OnStopDone(input.Slot!, input.Stopped!);
                break;
            case RouterInputKind.Fault when IsCurrent(input):
                OnFault(input.Slot!, input.Fault!);
                break;
            case RouterInputKind.TimerDue:
                OnTimerDue();
                break;
            case RouterInputKind.TtlDue:
                OnTtlDue(input.Slot!);
                break;
            case RouterInputKind.Unload:
                OnUnload(input.ModelId, input.Ticket);
                break;
            case RouterInputKind.Reload:
                OnReload(input.Config!);
                break;
            case RouterInputKind.Shutdown:
                OnShutdown(input.Drain, input.Ticket);
                break;
        }
        AfterChange();
        return _effects;
    }

    // An outcome or fault from a process that a reload has since replaced says nothing about the current one.
    private static bool IsCurrent(in RouterInput input) => input.Slot!.ProcessGeneration == input.Generation;

    /// <summary>The follow-up every change may need: retire idle models, move a shutdown on, re-examine the queue.</summary>
    private void AfterChange()
    {
        RetireIdleModels();
        AdvanceShutdown();
        if (_queueDirty)
            PassQueue();
        if (_positionsDirty)
            BroadcastPositions();
    }

    private void Emit(in RouterEffect effect) => _effects.Add(effect);

    private long ToTimestampSpan(TimeSpan span)
    {
        if (span <= TimeSpan.Zero)
            return 0;
        var ticks = span.TotalSeconds * _frequency;
        return ticks >= long.MaxValue / 4 ? long.MaxValue / 4 : (long)ticks;
    }

    // As TimeProvider.GetElapsedTime computes it, so the core and the shell agree to the tick.
    private TimeSpan Between(long from, long to) => new((long)((to - from) * ((double)TimeSpan.TicksPerSecond / _frequency)));

    private ISwapPlanner CreatePlanner(TinySwapConfig config) =>
        (_options.PlannerFactory ?? SwapPlanners.FromConfig)(config, _options);

    private void AddSlot(ModelConfig config)
    {
        var slot = new ModelSlot(++_nextSerial, config);
        NewProcess(slot, config);
        _slots.Add(config.Id, slot);
    }

    private void NewProcess(ModelSlot slot, ModelConfig config)
    {
        slot.ProcessConfig = config;
        slot.ProcessGeneration++;
        Emit(RouterEffect.CreateProcess(slot));
    }
}
