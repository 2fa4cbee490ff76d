using TinySwap.Config;
using TinySwap.Contracts;

namespace TinySwap.Proxy.Selectors;

/// <summary>
/// One spillover selector's requests in flight per target, reserved when a target is chosen and released when its
/// response ends. Choosing and reserving happen under one lock, so two requests arriving together see each other
/// (llama-swap counts the same way: only requests that came through this selector).
/// </summary>
internal sealed class SpilloverLedger(SelectorConfig selector)
{
    private readonly Lock _lock = new();
    private readonly int[] _reserved = new int[selector.Targets.Length];
    private ulong _turn;

    /// <summary>Chooses a target from the models' current states and reserves it; -1 when every target is stopping.</summary>
    public int Reserve(IModelStateReader states)
    {
        Span<TargetView> views = selector.Targets.Length <= 16 ? stackalloc TargetView[selector.Targets.Length] : new TargetView[selector.Targets.Length];
        lock (_lock)
        {
            for (var i = 0; i < views.Length; i++)
            {
                var target = selector.Targets[i];
                views[i] = new TargetView(target.ModelId is { } id ? states.StateOf(id) : null, _reserved[i]);
            }
            var choice = SelectorChooser.Spillover(views, selector.Spillover, _turn);
            if (choice.Index < 0)
                return -1;
            if (choice.TookTurn)
                _turn++;
            _reserved[choice.Index]++;
            return choice.Index;
        }
    }

    public void Release(int index)
    {
        lock (_lock)
        {
            if (_reserved[index] > 0)
                _reserved[index]--;
        }
    }

    /// <summary>The requests held per target (tests and diagnostics).</summary>
    public int[] Reserved()
    {
        lock (_lock)
            return [.. _reserved];
    }
}
