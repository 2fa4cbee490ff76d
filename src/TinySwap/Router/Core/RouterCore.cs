using Microsoft.Extensions.Logging;
using TinySwap.Config;
using TinySwap.Contracts;

namespace TinySwap.Router;

/// <summary>
/// The router's decisions, and nothing else: which model runs, who waits, who is granted or refused, when a model is
/// started, slept, stopped or retired. No threads, no clock, no I/O (but log lines): each <see cref="Handle"/> takes one
/// input stamped with the time and returns the effects the shell must carry out, in order; the shell feeds outcomes
/// back as inputs. All state is in <see cref="RouterState"/>; the work is split by concern: <see cref="Admission"/>
/// (the decision tree, grants, the queue), <see cref="Lifecycle"/> (swaps, starts, stops, sleeps, TTL),
/// <see cref="Deadlines"/> (queue timeouts, the router-wide timer), <see cref="Administration"/> (unload, reload,
/// shutdown).
/// </summary>
internal sealed class RouterCore
{
    private readonly RouterState _state;

    public RouterCore(TinySwapConfig config, RouterOptions options, long timestampFrequency, ILogger logger, long now)
    {
        _state = new RouterState(config, options, timestampFrequency, logger, now);
        Admission = new Admission(_state, this);
        Lifecycle = new Lifecycle(_state, this);
        Deadlines = new Deadlines(_state, this);
        Administration = new Administration(_state, this);
        _state.Planner = _state.CreatePlanner(config);
        foreach (var model in config.Models)
            _state.AddSlot(model);
    }

    internal Admission Admission { get; }
    internal Lifecycle Lifecycle { get; }
    internal Deadlines Deadlines { get; }
    internal Administration Administration { get; }

    /// <summary>The effects of the last <see cref="Handle"/> (or of construction: a process per model). Valid until the next call.</summary>
    public IReadOnlyList<RouterEffect> Effects => _state.Effects;

    /// <summary>The config the core works from (the latest reload's).</summary>
    public TinySwapConfig Config => _state.Config;

    /// <summary>Switch cost moving averages per (from, to) pair; safe to read from any thread.</summary>
    public IReadOnlyList<SwitchCost> SwitchCosts => _state.Costs.Published;

    /// <summary>Handles one input; returns the effects to carry out (the same list as <see cref="Effects"/>).</summary>
    public IReadOnlyList<RouterEffect> Handle(in RouterInput input)
    {
        _state.Effects.Clear();
        _state.Now = input.Now;
        switch (input.Kind)
        {
            case RouterInputKind.Acquire:
                Admission.OnAcquire(input.Request!);
                break;
            case RouterInputKind.Load:
                Admission.OnLoad(input.Request!);
                break;
            case RouterInputKind.Release:
                Admission.OnRelease(input.ModelId!, input.Ticket);
                break;
            case RouterInputKind.Cancelled:
                Admission.OnCancelled(input.Request!);
                break;
            case RouterInputKind.StartDone when IsCurrent(input):
                Lifecycle.OnStartDone(input.Slot!, input.Started!);
                break;
            case RouterInputKind.SleepDone when IsCurrent(input):
                Lifecycle.OnSleepDone(input.Slot!, input.Slept!);
                break;
            case RouterInputKind.StopDone when IsCurrent(input):
                Lifecycle.OnStopDone(input.Slot!, input.Stopped!);
                break;
            case RouterInputKind.Fault when IsCurrent(input):
                Lifecycle.OnFault(input.Slot!, input.Fault!);
                break;
            case RouterInputKind.TimerDue:
                Deadlines.OnTimerDue();
                break;
            case RouterInputKind.TtlDue:
                Lifecycle.OnTtlDue(input.Slot!);
                break;
            case RouterInputKind.Unload:
                Administration.OnUnload(input.ModelId, input.Ticket);
                break;
            case RouterInputKind.Reload:
                Administration.OnReload(input.Config!);
                break;
            case RouterInputKind.Shutdown:
                Administration.OnShutdown(input.Drain, input.Ticket);
                break;
        }
        AfterChange();
        return _state.Effects;
    }

    /// <summary>Every model as the core sees it now, sorted by id; <paramref name="pidOf"/> supplies the pids the shell knows.</summary>
    public ModelStatus[] Describe(Func<ModelSlot, int?> pidOf)
    {
        var waiting = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < _state.Queue.Count; i++)
            waiting[_state.Queue[i].ModelId] = waiting.GetValueOrDefault(_state.Queue[i].ModelId) + 1;
        foreach (var swap in _state.Swaps)
            waiting[swap.Target.Config.Id] = waiting.GetValueOrDefault(swap.Target.Config.Id) + swap.Waiters.Count;

        var models = new ModelStatus[_state.Slots.Count];
        var index = 0;
        foreach (var slot in _state.Slots.Values)
        {
            var running = slot.State is not (ModelState.Stopped or ModelState.Failed or ModelState.ShutDown);
            models[index++] = new ModelStatus(slot.Config.Id, slot.State, running ? pidOf(slot) : null, slot.InFlight,
                waiting.GetValueOrDefault(slot.Config.Id), slot.FailureReason);
        }
        Array.Sort(models, static (a, b) => string.CompareOrdinal(a.Id, b.Id));
        return models;
    }

    // An outcome or fault from a process that a reload has since replaced says nothing about the current one.
    private static bool IsCurrent(in RouterInput input) => input.Slot!.ProcessGeneration == input.Generation;

    /// <summary>The follow-up every change may need: retire idle models, move a shutdown on, re-examine the queue.</summary>
    private void AfterChange()
    {
        Administration.RetireIdleModels();
        Administration.AdvanceShutdown();
        if (_state.QueueDirty)
            Admission.PassQueue();
        if (_state.PositionsDirty)
            Admission.BroadcastPositions();
    }
}
