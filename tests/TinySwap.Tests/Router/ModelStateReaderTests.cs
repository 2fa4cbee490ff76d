using TinySwap.Contracts;
using static TinySwap.Tests.Router.RouterHarness;

namespace TinySwap.Tests.Router;

/// <summary>The states selectors read without asking the loop follow what the loop did.</summary>
public sealed class ModelStateReaderTests
{
    [Fact]
    public async Task StateOf_FollowsStartReadyAndStop_AndUnknownIsStopped()
    {
        await using var harness = new RouterHarness(ConfigOf([Model("a"), Model("b")], null, c => c with { MaxRunning = 1 }));
        Assert.Equal(ModelState.Stopped, harness.Router.StateOf("a"));

        var first = harness.Request("a");
        await harness.Settle();
        Assert.Equal(ModelState.Starting, harness.Router.StateOf("a"));

        harness.Process("a").CompleteStart();
        await harness.Release(await first.Granted());
        Assert.Equal(ModelState.Ready, harness.Router.StateOf("a"));

        harness.Process("a").AutoStop = false;
        var forB = harness.Request("b");
        await harness.Settle();
        Assert.Equal(ModelState.Stopping, harness.Router.StateOf("a"));
        harness.Process("a").CompleteStop();
        await harness.Settle();
        Assert.Equal(ModelState.Stopped, harness.Router.StateOf("a"));
        Assert.Equal(ModelState.Starting, harness.Router.StateOf("b"));
        Assert.Equal(ModelState.Stopped, harness.Router.StateOf("nobody"));
        harness.Process("b").CompleteStart();
        await harness.Release(await forB.Granted());
    }
}
