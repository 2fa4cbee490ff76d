namespace TinySwap.Contracts;

/// <summary>One target as a choice sees it: its model's state (null for a peer model) and the selector's requests on it.</summary>
internal readonly record struct TargetView(ModelState? LocalState, int Reserved);

/// <summary>A spillover choice: the target's index (-1 when none is available) and whether it used up a round-robin turn.</summary>
internal readonly record struct SpilloverChoice(int Index, bool TookTurn);

/// <summary>
/// The selector strategies as pure functions of a snapshot (llama-swap's internal/server/selector.go): no clock, no
/// threads, no shared state, so each is tested by feeding it states and counts. Shared: the proxy chooses with it,
/// the API shows which target a selector would choose now.
/// </summary>
internal static class SelectorChooser
{
    /// <summary>Warm: the first ready target in order, else the first starting one, else the first (a cold start).</summary>
    public static int Warm(ReadOnlySpan<ModelState> states)
    {
        var starting = states.IndexOf(ModelState.Starting);
        var ready = states.IndexOf(ModelState.Ready);
        return ready >= 0 ? ready : Math.Max(starting, 0);
    }

    /// <summary>
    /// Spillover: targets that are up (ready or starting) or already hold requests of this selector are active; stopped
    /// ones (also sleeping or failed: they need a start or a wake) are cold; stopping ones are skipped. While the least
    /// busy active target holds fewer than <paramref name="spillover"/> requests it takes the next one (ties in turn,
    /// by <paramref name="turn"/>); otherwise the first cold target starts; with none left, the least busy takes it anyway.
    /// Peer models have no state here: a peer is active while it holds requests, else cold.
    /// </summary>
    public static SpilloverChoice Spillover(ReadOnlySpan<TargetView> targets, int spillover, ulong turn)
    {
        var firstCold = -1;
        var leastBusy = int.MaxValue;
        var activeCount = 0;
        for (var i = 0; i < targets.Length; i++)
        {
            switch (Classify(targets[i]))
            {
                case Availability.Active:
                    activeCount++;
                    leastBusy = Math.Min(leastBusy, targets[i].Reserved);
                    break;
                case Availability.Cold when firstCold < 0:
                    firstCold = i;
                    break;
            }
        }
        if (activeCount == 0 || (leastBusy >= spillover && firstCold >= 0))
            return new(firstCold, TookTurn: false);

        // Round robin among the equally least busy, so equal targets share the load instead of the first taking it all.
        var tied = 0;
        for (var i = 0; i < targets.Length; i++)
        {
            if (Classify(targets[i]) == Availability.Active && targets[i].Reserved == leastBusy)
                tied++;
        }
        var pick = (int)(turn % (ulong)tied);
        for (var i = 0; i < targets.Length; i++)
        {
            if (Classify(targets[i]) == Availability.Active && targets[i].Reserved == leastBusy && pick-- == 0)
                return new(i, TookTurn: true);
        }
        throw new InvalidOperationException("unreachable: a tied active target exists");
    }

    private enum Availability : byte { Unavailable, Active, Cold }

    private static Availability Classify(in TargetView target) => target.LocalState switch
    {
        null => target.Reserved > 0 ? Availability.Active : Availability.Cold,
        ModelState.Stopping or ModelState.ShutDown => Availability.Unavailable,
        ModelState.Ready or ModelState.Starting => Availability.Active,
        _ => target.Reserved > 0 ? Availability.Active : Availability.Cold,
    };
}
