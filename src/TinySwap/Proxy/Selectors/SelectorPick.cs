using TinySwap.Config;

namespace TinySwap.Proxy.Selectors;

/// <summary>
/// What a selector chose for one request: the target name the request is rewritten to, or why there is none. A
/// spillover pick holds a reservation until <see cref="Release"/>, called once when the response ends.
/// </summary>
internal readonly struct SelectorPick
{
    private readonly SpilloverLedger? _ledger;
    private readonly int _index;

    private SelectorPick(SelectorConfig selector, string? target, string? problem, SpilloverLedger? ledger, int index)
    {
        Selector = selector;
        Target = target;
        Problem = problem;
        _ledger = ledger;
        _index = index;
    }

    public SelectorConfig Selector { get; }

    /// <summary>The target as the config writes it (model id, alias or peer model); null when <see cref="Problem"/> says why.</summary>
    public string? Target { get; }

    /// <summary>Why the selector could not choose (answered 503, as llama-swap does).</summary>
    public string? Problem { get; }

    public static SelectorPick Of(SelectorConfig selector, int index, SpilloverLedger? ledger = null) =>
        new(selector, selector.Targets[index].Name, null, ledger, index);

    public static SelectorPick Unavailable(SelectorConfig selector, string problem) => new(selector, null, problem, null, -1);

    public void Release() => _ledger?.Release(_index);
}
