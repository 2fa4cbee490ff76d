using TinySwap.Contracts;
using TinySwap.Router;
using static TinySwap.Tests.Router.RouterHarness;

namespace TinySwap.Tests.Router;

/// <summary>
/// What only the shell (ModelRouter: the loop thread, its inbox, the public methods) does; the decisions themselves
/// are tested on the core (CoreHarness). In-flight races and the allocation-free fast path have files of their own.
/// </summary>
public sealed class ShellTests
{
    [Fact]
    public async Task Preload_LoadsTheListInOrder()
    {
        var config = ConfigOf([Model("a"), Model("b")], [Group("both", swap: false, members: ["a", "b"])],
            c => c with { Preload = ["b", "a"] });
        using var loadsHandled = new SemaphoreSlim(0);
        var options = new RouterOptions { OnMessageProcessed = message => { if (message.Kind == RouterMessageKind.Input && message.Input.Kind == RouterInputKind.Load) loadsHandled.Release(); } };
        await using var harness = new RouterHarness(config, options);
        Assert.True(await loadsHandled.WaitAsync(Patience));
        await harness.Settle();

        Assert.True(harness.Process("b").IsStarting);
        Assert.Empty(harness.Process("a").Calls); // the second waits for the first
        harness.Process("b").CompleteStart();
        Assert.True(await loadsHandled.WaitAsync(Patience));
        await harness.Settle();
        Assert.True(harness.Process("a").IsStarting);
        harness.Process("a").CompleteStart();
        await harness.Settle();

        Assert.Equal(ModelState.Ready, harness.State("a"));
        Assert.Equal(ModelState.Ready, harness.State("b"));
    }

    [Fact]
    public async Task AfterDispose_RequestsAreStillAnswered()
    {
        var harness = new RouterHarness(Model("a"));
        await harness.DisposeAsync();

        var refusal = await harness.Request("a").Refused();

        Assert.Equal(503, refusal.StatusCode);
    }

    [Fact]
    public async Task Shutdown_CalledTwice_ReturnsTheSameTask_AndRefusesNewRequestsAtOnce()
    {
        await using var harness = new RouterHarness(Model("a"));

        var shutdown = harness.Router.ShutdownAsync(TimeSpan.FromSeconds(30));
        var refusal = await harness.Request("a").Refused();

        Assert.Same(shutdown, harness.Router.ShutdownAsync(TimeSpan.Zero));
        Assert.Equal("shutting_down", refusal.ErrorCode);
        await shutdown.WaitAsync(Patience);
    }

    [Fact]
    public async Task FlushAsync_CompletesAfterEverythingPostedBeforeIt()
    {
        await using var harness = new RouterHarness(Model("a"));
        var request = harness.Request("a");

        await harness.Router.FlushAsync().WaitAsync(Patience);

        Assert.True(harness.Process("a").IsStarting); // the acquire was handled and its start begun
        Assert.False(request.IsAnswered);
    }
}
