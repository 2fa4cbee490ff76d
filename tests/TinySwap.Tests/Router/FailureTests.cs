using TinySwap.Router;
using static TinySwap.Tests.Router.RouterHarness;
using TinySwap.Contracts;

namespace TinySwap.Tests.Router;

/// <summary>Start failures, the crash-loop guard and crashes after ready.</summary>
public sealed class FailureTests
{
    private static RouterOptions Guard => new() { CrashLoopThreshold = 3, CrashLoopWindow = TimeSpan.FromMinutes(1) };

    private static async Task<GateRefusalAndState> FailOnce(RouterHarness harness, string id)
    {
        var request = harness.Request(id);
        await harness.Settle();
        harness.Process(id).FailStart("exit code 1: out of memory");
        var refusal = await request.Refused();
        await harness.Settle();
        return new(refusal.StatusCode, refusal.Message, harness.State(id));
    }

    private sealed record GateRefusalAndState(int StatusCode, string Message, ModelState State);

    [Fact]
    public async Task StartFailure_AnswersEveryWaiter502_WithTheReason()
    {
        await using var harness = new RouterHarness(Model("a"));
        var requests = Enumerable.Range(0, 5).Select(_ => harness.Request("a")).ToArray();
        await harness.Settle();

        harness.Process("a").FailStart("exited with code 1; last lines: CUDA out of memory");

        foreach (var request in requests)
        {
            var refusal = await request.Refused();
            Assert.Equal(502, refusal.StatusCode);
            Assert.Contains("CUDA out of memory", refusal.Message);
        }
        await harness.Settle();
        Assert.Equal(ModelState.Stopped, harness.State("a"));
        Assert.Contains("CUDA out of memory", harness.Status("a").FailureReason);
    }

    [Fact]
    public async Task StartFailure_NextRequestTriesAgain()
    {
        await using var harness = new RouterHarness(Model("a"));
        await FailOnce(harness, "a");

        var again = harness.Request("a");
        await harness.Settle();
        harness.Process("a").CompleteStart();

        await again.Granted();
        Assert.Equal(["start", "start"], harness.Process("a").Calls);
    }

    [Fact]
    public async Task CrashLoop_ThirdFailureWithinTheWindow_Pauses503_UntilTheWindowPasses()
    {
        await using var harness = new RouterHarness(ConfigOf([Model("a")]), Guard);
        Assert.Equal(502, (await FailOnce(harness, "a")).StatusCode);
        harness.Time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(502, (await FailOnce(harness, "a")).StatusCode);
        harness.Time.Advance(TimeSpan.FromSeconds(10));
        var third = await FailOnce(harness, "a");
        Assert.Equal(503, third.StatusCode);
        Assert.Equal(ModelState.Failed, third.State);

        var paused = await harness.Request("a").Refused();
        Assert.Equal(503, paused.StatusCode);
        Assert.Equal("model_failed", paused.ErrorCode);
        Assert.Contains("out of memory", paused.Message);
        Assert.Equal(TimeSpan.FromSeconds(40), paused.RetryAfter); // the first failure leaves the window in 40 s
        Assert.Equal(3, harness.Process("a").Calls.Count);

        harness.Time.Advance(TimeSpan.FromSeconds(40));
        var retry = harness.Request("a");
        await harness.Settle();
        harness.Process("a").CompleteStart();
        await retry.Granted();
        Assert.Equal(ModelState.Ready, harness.State("a"));
    }

    [Fact]
    public async Task CrashLoop_FailuresSpreadBeyondTheWindow_NeverPause()
    {
        await using var harness = new RouterHarness(ConfigOf([Model("a")]), Guard);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(502, (await FailOnce(harness, "a")).StatusCode);
            harness.Time.Advance(TimeSpan.FromSeconds(31));
        }
    }

    [Fact]
    public async Task CrashLoop_ExplicitLoad_ClearsThePause()
    {
        await using var harness = new RouterHarness(ConfigOf([Model("a")]), Guard with { CrashLoopThreshold = 1 });
        await FailOnce(harness, "a");
        Assert.Equal(ModelState.Failed, harness.State("a"));

        var load = harness.Router.LoadAsync("a");
        await harness.Settle();
        harness.Process("a").CompleteStart();

        Assert.Null(await load.WaitAsync(Patience));
        Assert.Equal(ModelState.Ready, harness.State("a"));
    }

    [Fact]
    public async Task CrashAfterReady_StopsWhatRemains_AndTheNextRequestRestarts()
    {
        await using var harness = new RouterHarness(Model("a"));
        (await harness.Serve("a")).Release();
        var first = harness.Process("a");

        first.Crash("exited with signal 11");
        await harness.Settle();

        Assert.Equal(ModelState.Stopped, harness.State("a"));
        Assert.Equal("exited with signal 11", harness.Status("a").FailureReason);
        Assert.Equal(["start", "stop:Failure"], first.Calls);

        (await harness.Serve("a")).Release();
        Assert.Same(first, harness.Process("a"));
        Assert.Equal(["start", "stop:Failure", "start"], first.Calls);
    }

    [Fact]
    public async Task StartThatThrows_IsAFailedStart_NotAStuckModel()
    {
        await using var harness = new RouterHarness(Model("a"));
        harness.Process("a").StartThrows = new InvalidOperationException("spawn blew up");

        var refusal = await harness.Request("a").Refused();

        Assert.Equal(502, refusal.StatusCode);
        Assert.Contains("spawn blew up", refusal.Message);
        await harness.Settle();
        Assert.Equal(ModelState.Stopped, harness.State("a"));
    }

    [Fact]
    public async Task FaultDuringAnOperation_IsLeftToThatOperationsOutcome()
    {
        await using var harness = new RouterHarness(Model("a"));
        var request = harness.Request("a");
        await harness.Settle();

        harness.Process("a").Crash("died while starting");
        await harness.Settle();
        Assert.Equal(ModelState.Starting, harness.State("a"));

        harness.Process("a").FailStart("exited during start");
        Assert.Contains("exited during start", (await request.Refused()).Message);
        Assert.False(harness.Process("a").OverlapSeen);
    }
}
