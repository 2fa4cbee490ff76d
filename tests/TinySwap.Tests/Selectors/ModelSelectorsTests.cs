using TinySwap.Config;
using TinySwap.Contracts;
using TinySwap.Proxy.Selectors;
using TinySwap.Tests.Config;

namespace TinySwap.Tests.Selectors;

/// <summary>Selectors of a loaded config, choosing from a hand-set table of model states; spillover reservations held and released.</summary>
public sealed class ModelSelectorsTests
{
    private static readonly TinySwapConfig Config = ConfigText.Valid("""
        models:
          a: {cmd: "echo ${PORT}", aliases: [alias-a]}
          b: {cmd: "echo ${PORT}"}
          c: {cmd: "echo ${PORT}"}
        groups:
          balanced: {swap: false, members: [a, b, c]}
        selectors:
          public: {strategy: pin, targets: [alias-a, b]}
          warm: {strategy: warm, targets: [a, b, c]}
          balanced: {strategy: spillover, targets: [a, b, c]}
        """);

    [Fact]
    public void Pin_AlwaysNamesTheFirstTarget_AsWritten()
    {
        var selectors = new ModelSelectors(Config);
        var states = new StateTable { ["b"] = ModelState.Ready };

        Assert.True(selectors.TrySelect("public", states, out var pick));
        Assert.Equal("alias-a", pick.Target);
        pick.Release();
    }

    [Fact]
    public void Warm_FollowsTheStatesItReads()
    {
        var selectors = new ModelSelectors(Config);
        var states = new StateTable();

        Assert.Equal("a", Pick(selectors, "warm", states));
        states["c"] = ModelState.Starting;
        Assert.Equal("c", Pick(selectors, "warm", states));
        states["b"] = ModelState.Ready;
        Assert.Equal("b", Pick(selectors, "warm", states));
    }

    [Fact]
    public void Spillover_TwoRequestsInFlight_GoToDifferentTargets_AndReleaseFreesThem()
    {
        // llama-swap's TestServer_SelectorMiddleware_SpilloverReservations: all ready, spillover 1.
        var selectors = new ModelSelectors(Config);
        var states = new StateTable { ["a"] = ModelState.Ready, ["b"] = ModelState.Ready, ["c"] = ModelState.Ready };

        Assert.True(selectors.TrySelect("balanced", states, out var first));
        Assert.True(selectors.TrySelect("balanced", states, out var second));
        Assert.NotEqual(first.Target, second.Target);
        Assert.Equal(2, selectors.LedgerOf("balanced")!.Reserved().Sum());

        first.Release();
        second.Release();
        Assert.Equal([0, 0, 0], selectors.LedgerOf("balanced")!.Reserved());
    }

    [Fact]
    public void Spillover_ConcurrentRequests_AreSpreadEvenly_AndAllReleased()
    {
        var config = ConfigText.Valid("""
            models:
              a: {cmd: "echo ${PORT}"}
              b: {cmd: "echo ${PORT}"}
              c: {cmd: "echo ${PORT}"}
            groups:
              pool: {swap: false, members: [a, b, c]}
            selectors:
              wide: {strategy: spillover, targets: [a, b, c], settings: {spillover: 100000}}
            """);
        var selectors = new ModelSelectors(config);
        var states = new StateTable { ["a"] = ModelState.Ready, ["b"] = ModelState.Ready, ["c"] = ModelState.Ready };
        var picks = new SelectorPick[3000];

        Parallel.For(0, picks.Length, i => Assert.True(selectors.TrySelect("wide", states, out picks[i])));

        // Each choice went to a least busy target under the ledger's lock, so no target is ahead by more than one.
        Assert.Equal([1000, 1000, 1000], selectors.LedgerOf("wide")!.Reserved());
        Parallel.ForEach(picks, pick => pick.Release());
        Assert.Equal([0, 0, 0], selectors.LedgerOf("wide")!.Reserved());
    }

    [Fact]
    public void Spillover_AllTargetsStopping_IsUnavailable()
    {
        var selectors = new ModelSelectors(Config);
        var states = new StateTable { ["a"] = ModelState.Stopping, ["b"] = ModelState.Stopping, ["c"] = ModelState.ShutDown };

        Assert.True(selectors.TrySelect("balanced", states, out var pick));
        Assert.Null(pick.Target);
        Assert.Contains("no available spillover targets", pick.Problem);
        Assert.Equal([0, 0, 0], selectors.LedgerOf("balanced")!.Reserved());
    }

    [Fact]
    public void NamesThatAreNoSelector_AreLeftAlone()
    {
        var selectors = new ModelSelectors(Config);

        Assert.False(selectors.TrySelect("a", new StateTable(), out _));
        Assert.False(selectors.TrySelect("missing", new StateTable(), out _));
        Assert.True(selectors.TrySelect("public", new StateTable(), out _));
    }

    private static string? Pick(ModelSelectors selectors, string id, IModelStateReader states)
    {
        Assert.True(selectors.TrySelect(id, states, out var pick));
        pick.Release();
        return pick.Target;
    }

    private sealed class StateTable : Dictionary<string, ModelState>, IModelStateReader
    {
        public ModelState StateOf(string modelId) => TryGetValue(modelId, out var state) ? state : ModelState.Stopped;
    }
}
