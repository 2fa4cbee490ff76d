using System.Text;
using TinySwap.Config;
using TinySwap.Contracts;

namespace TinySwap.Proxy.Selectors;

/// <summary>
/// The selectors of one loaded config, by id. A request naming a selector gets a <see cref="SelectorPick"/>: the target
/// its strategy chooses from the models' current states, which the request is then rewritten to and routed as if
/// the client had named it. Spillover reservations live here, so a reload starts counting afresh (as llama-swap does).
/// </summary>
internal sealed class ModelSelectors
{
    private readonly Dictionary<string, (SelectorConfig Selector, SpilloverLedger? Ledger)> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (SelectorConfig Selector, SpilloverLedger? Ledger)>.AlternateLookup<ReadOnlySpan<char>> _bySpan;

    public ModelSelectors(TinySwapConfig config)
    {
        foreach (var selector in config.Selectors)
            _byId[selector.Id] = (selector, selector.Strategy == SelectorStrategy.Spillover ? new SpilloverLedger(selector) : null);
        _bySpan = _byId.GetAlternateLookup<ReadOnlySpan<char>>();
        foreach (var id in _byId.Keys)
            LongestIdUtf8 = Math.Max(LongestIdUtf8, Encoding.UTF8.GetByteCount(id));
    }

    public bool IsEmpty => _byId.Count == 0;

    /// <summary>The longest selector id in UTF-8 bytes: a longer requested name is none of them.</summary>
    public int LongestIdUtf8 { get; }

    /// <summary>False when <paramref name="name"/> is no selector; else the pick (release it when the response ends).</summary>
    public bool TrySelect(ReadOnlySpan<char> name, IModelStateReader states, out SelectorPick pick)
    {
        if (IsEmpty || !_bySpan.TryGetValue(name, out var entry))
        {
            pick = default;
            return false;
        }
        var (selector, ledger) = entry;
        switch (selector.Strategy)
        {
            case SelectorStrategy.Pin:
                pick = SelectorPick.Of(selector, 0);
                break;
            case SelectorStrategy.Warm:
                Span<ModelState> current = selector.Targets.Length <= 16 ? stackalloc ModelState[selector.Targets.Length] : new ModelState[selector.Targets.Length];
                for (var i = 0; i < current.Length; i++)
                    current[i] = states.StateOf(selector.Targets[i].ModelId!);
                pick = SelectorPick.Of(selector, SelectorChooser.Warm(current));
                break;
            default:
                var index = ledger!.Reserve(states);
                pick = index >= 0
                    ? SelectorPick.Of(selector, index, ledger)
                    : SelectorPick.Unavailable(selector, $"selector '{selector.Id}' has no available spillover targets (all are stopping)");
                break;
        }
        return true;
    }

    /// <summary>The spillover ledger of a selector (tests).</summary>
    internal SpilloverLedger? LedgerOf(string id) => _byId.TryGetValue(id, out var entry) ? entry.Ledger : null;
}
