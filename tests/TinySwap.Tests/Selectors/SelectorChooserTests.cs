using TinySwap.Contracts;
using static TinySwap.Contracts.ModelState;

namespace TinySwap.Tests.Selectors;

/// <summary>The strategies as pure functions of states and counts (llama-swap's selector_test.go cases, and the thresholds).</summary>
public sealed class SelectorChooserTests
{
    [Theory]
    [InlineData("Starting Stopped Ready", 2)]   // the first ready one, though an earlier one is starting
    [InlineData("Starting Ready Ready", 1)]     // the first of two ready ones
    [InlineData("Starting Starting Stopped", 0)] // none ready: the first starting one
    [InlineData("Stopped Starting Stopped", 1)]
    [InlineData("Stopped Stopped Stopped", 0)]  // nothing up: the first, which then starts
    [InlineData("Sleeping Stopping Failed", 0)]
    public void Warm_PrefersReadyThenStartingThenTheFirst(string states, int expected)
    {
        var parsed = states.Split(' ').Select(Enum.Parse<ModelState>).ToArray();

        Assert.Equal(expected, SelectorChooser.Warm(parsed));
    }

    [Fact]
    public void Spillover_FillsTheFirstTargetToTheThreshold_ThenStartsTheNext()
    {
        // llama-swap's TestServer_SelectorStrategySpillover: spillover 2, nothing running yet.
        var reserved = new int[3];
        var states = new[] { Stopped, Stopped, Stopped };
        Assert.Equal(0, Reserve(states, reserved, spillover: 2));  // cold start of the first
        Assert.Equal(0, Reserve(states, reserved, spillover: 2));  // active with 1 < 2
        Assert.Equal(1, Reserve(states, reserved, spillover: 2));  // 2 reached: the next cold one
        Assert.Equal([2, 1, 0], reserved);

        reserved[0]--;                                              // one of a's requests ends
        var ready = new[] { Ready, Ready, Ready };
        // All three are up; the least busy is c (0), which takes it (a and b hold 1 each).
        Assert.Equal(2, Reserve(ready, reserved, spillover: 2));
    }

    [Fact]
    public void Spillover_BelowTheThreshold_SharesAmongTheLeastBusyInTurn()
    {
        var states = new[] { Ready, Ready, Stopped };
        var reserved = new[] { 1, 1, 0 };

        var first = SelectorChooser.Spillover(Views(states, reserved), spillover: 4, turn: 0);
        var second = SelectorChooser.Spillover(Views(states, reserved), spillover: 4, turn: 1);

        Assert.Equal(new SpilloverChoice(0, TookTurn: true), first);
        Assert.Equal(new SpilloverChoice(1, TookTurn: true), second);
    }

    [Fact]
    public void Spillover_AtTheThresholdWithNothingCold_StillTakesTheLeastBusy()
    {
        var choice = SelectorChooser.Spillover(Views([Ready, Ready], [3, 2]), spillover: 2, turn: 7);

        Assert.Equal(new SpilloverChoice(1, TookTurn: true), choice);
    }

    [Fact]
    public void Spillover_SkipsStoppingTargets_AndHasNoneWhenAllStop()
    {
        Assert.Equal(2, SelectorChooser.Spillover(Views([Stopping, ShutDown, Stopped], [0, 0, 0]), 1, 0).Index);
        Assert.Equal(-1, SelectorChooser.Spillover(Views([Stopping, Stopping, ShutDown], [0, 0, 0]), 1, 0).Index);
    }

    [Fact]
    public void Spillover_ASleepingTargetIsCold_UnlessItHoldsRequests()
    {
        // a is ready and full; b sleeps (it needs a wake like a stopped one needs a start): b is the next cold one.
        Assert.Equal(1, SelectorChooser.Spillover(Views([Ready, Sleeping], [1, 0]), 1, 0).Index);
        // b is waking for a request of ours: it counts as active, and with both full the least busy (b) takes it.
        Assert.Equal(1, SelectorChooser.Spillover(Views([Ready, Sleeping, Stopped], [3, 1, 0]), 4, 0).Index);
    }

    [Fact]
    public void Spillover_PeerTargets_AreActiveWhileTheyHoldRequests()
    {
        // llama-swap's TestServer_SelectorStrategySpillover_RemoteModels: two peer models, spillover 1.
        var reserved = new int[2];
        TargetView[] Peers() => [new(null, reserved[0]), new(null, reserved[1])];

        var first = SelectorChooser.Spillover(Peers(), 1, 0).Index;
        reserved[first]++;
        var second = SelectorChooser.Spillover(Peers(), 1, 0).Index;
        reserved[second]++;
        Assert.Equal((0, 1), (first, second));

        reserved[0]--;
        reserved[1]--;
        Assert.Equal(0, SelectorChooser.Spillover(Peers(), 1, 0).Index);
    }

    private static int Reserve(ModelState[] states, int[] reserved, int spillover)
    {
        var choice = SelectorChooser.Spillover(Views(states, reserved), spillover, 0);
        reserved[choice.Index]++;
        return choice.Index;
    }

    private static TargetView[] Views(ModelState[] states, int[] reserved) =>
        [.. states.Select((state, i) => new TargetView(state, reserved[i]))];
}
