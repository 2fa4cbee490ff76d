using TinySwap.Router;
using static TinySwap.Tests.Router.RouterHarness;
using static TinySwap.Tests.Router.CoreHarness;
using TinySwap.Contracts;

namespace TinySwap.Tests.Router;

/// <summary>Start failures, the restart backoff and crashes after ready.</summary>
public sealed class FailureTests
{
    private static async Task<GateRefusalAndState> FailOnce(CoreHarness harness, string id)
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
        await using var harness = new CoreHarness(Model("a"));
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
        Assert.Equal(ModelState.Failed, harness.State("a")); // until its restart backoff has passed
        Assert.Contains("CUDA out of memory", harness.Status("a").FailureReason);
    }

    [Fact]
    public async Task StartFailure_NextRequestAfterTheBackoffTriesAgain()
    {
        await using var harness = new CoreHarness(Model("a"));
        await FailOnce(harness, "a");
        harness.Time.Advance(TimeSpan.FromSeconds(1));

        var again = harness.Request("a");
        await harness.Settle();
        harness.Process("a").CompleteStart();

        await again.Granted();
        Assert.Equal(["start", "start"], harness.Process("a").Calls);
    }

    [Fact]
    public async Task RestartBackoff_DoublesFromOneSecond_CappedAtSixty()
    {
        await using var harness = new CoreHarness(Model("a"));
        var waits = new List<TimeSpan?>();
        for (var failure = 1; failure <= 9; failure++)
        {
            Assert.Equal(502, (await FailOnce(harness, "a")).StatusCode);
            var backingOff = await harness.Request("a").Refused();
            Assert.Equal(503, backingOff.StatusCode);
            waits.Add(backingOff.RetryAfter);
            harness.Time.Advance(backingOff.RetryAfter!.Value);
        }

        Assert.Equal([1, 2, 4, 8, 16, 32, 60, 60, 60], waits.Select(wait => wait!.Value.TotalSeconds));
        Assert.Equal(9, harness.Process("a").Calls.Count); // requests during a backoff started nothing
    }

    [Fact]
    public async Task RestartBackoff_RequestDuringIt_Gets503WithTheWholeSecondsLeft_AndStartsNothing()
    {
        await using var harness = new CoreHarness(Model("a"));
        await FailOnce(harness, "a");
        harness.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(502, (await FailOnce(harness, "a")).StatusCode); // second failure: 2 s until the next attempt
        harness.Time.Advance(TimeSpan.FromMilliseconds(700));

        var refusal = await harness.Request("a").Refused();

        Assert.Equal(503, refusal.StatusCode);
        Assert.Equal("model_failed", refusal.ErrorCode);
        Assert.Equal(TimeSpan.FromSeconds(2), refusal.RetryAfter); // 1.3 s left, in whole seconds rounded up
        Assert.Contains("out of memory", refusal.Message);
        Assert.Contains("2 time(s) in a row", refusal.Message);
        Assert.Equal(ModelState.Failed, harness.State("a"));
        Assert.Equal(2, harness.Process("a").Calls.Count);
    }

    [Fact]
    public async Task RestartBackoff_SuccessfulStart_ResetsIt()
    {
        await using var harness = new CoreHarness(Model("a"));
        await FailOnce(harness, "a");
        harness.Time.Advance(TimeSpan.FromSeconds(1));
        await FailOnce(harness, "a");
        harness.Time.Advance(TimeSpan.FromSeconds(2));
        var lease = await harness.Serve("a");
        await harness.Release(lease);
        await Done(harness.Router.UnloadAsync("a"));

        var refusal = (await FailOnce(harness, "a"));
        var backingOff = await harness.Request("a").Refused();

        Assert.Equal(502, refusal.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), backingOff.RetryAfter); // the first failure again, not the third
    }

    [Fact]
    public async Task RestartBackoff_ExplicitLoad_TriesAtOnce()
    {
        await using var harness = new CoreHarness(Model("a"));
        await FailOnce(harness, "a");
        Assert.Equal(ModelState.Failed, harness.State("a"));

        var load = harness.Router.LoadAsync("a");
        await harness.Settle();
        harness.Process("a").CompleteStart();

        Assert.Null(await Done(load));
        Assert.Equal(ModelState.Ready, harness.State("a"));
    }

    [Fact]
    public async Task CrashAfterReady_StopsWhatRemains_AndTheNextRequestRestarts()
    {
        await using var harness = new CoreHarness(Model("a"));
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
        await using var harness = new CoreHarness(Model("a"));
        harness.Process("a").StartThrows = new InvalidOperationException("spawn blew up");

        var refusal = await harness.Request("a").Refused();

        Assert.Equal(502, refusal.StatusCode);
        Assert.Contains("spawn blew up", refusal.Message);
        await harness.Settle();
        Assert.Equal(ModelState.Failed, harness.State("a"));
    }

    [Fact]
    public async Task FaultDuringAnOperation_IsLeftToThatOperationsOutcome()
    {
        await using var harness = new CoreHarness(Model("a"));
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
