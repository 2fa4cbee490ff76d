using System.Diagnostics;
using TinySwap.Tests.Support;

namespace TinySwap.Tests.EndToEnd;

/// <summary>The router seen from outside: a busy model keeps its turn, reload keeps what did not change, TTL unloads.</summary>
public sealed class SwapTests
{
    [Fact]
    public async Task StreamOnA_WhileBIsRequestedInTheDefaultGroup_StreamArrivesWholeThenBStarts()
    {
        var a = new FakeModel("a");
        var b = new FakeModel("b");
        await using var tinyswap = await TinySwapServer.StartAsync(FakeModel.Config("", a, b));

        using var stream = await SseStream.OpenAsync(tinyswap.Port, """{"model":"a","stream":true,"n_events":20,"gap_ms":50}""");
        var events = new List<string> { (await stream.ReadEventAsync())! };
        var clock = Stopwatch.StartNew();
        // B's request arrives while A streams (A has 19 events, about a second, to go); A must not be cut off for it.
        using var connectionB = await RawHttpConnection.OpenAsync(tinyswap.Port);
        await connectionB.SendRequestAsync("POST", "/v1/chat/completions", """{"model":"b"}"""u8.ToArray(), "application/json");
        var sentB = clock.Elapsed;
        var requestB = Task.Run(async () =>
        {
            var response = await connectionB.ReadResponseAsync();
            return (Response: response, At: clock.Elapsed);
        });
        events.AddRange(await stream.ReadToEndAsync());
        var streamEndedAt = clock.Elapsed;
        var (answerB, answeredAt) = await requestB;

        Assert.Equal("[DONE]", events[^1]);
        Assert.Equal(Enumerable.Range(0, 20), SseStream.Sequence(events, "a"));
        Assert.True(answerB.Status == 200, answerB.ToString());
        Assert.Equal("b", answerB.Json().GetProperty("served_by").GetString());
        Assert.True(sentB < streamEndedAt, $"B was asked for at {sentB}, after A's stream had ended at {streamEndedAt}");
        Assert.True(answeredAt > streamEndedAt, $"B answered at {answeredAt}, before A's stream ended at {streamEndedAt}");
        // The swap: A stopped before B was started, and only B runs now.
        await tinyswap.WaitForLogAsync("[b] started pid");
        var aStopped = tinyswap.LogIndexOf("router[4006] a stopped");
        var bStarted = tinyswap.LogIndexOf("[b] started pid");
        Assert.True(aStopped >= 0 && bStarted > aStopped, tinyswap.Describe());
        Assert.Equal(["b"], (await TinySwapApi.RunningAsync(tinyswap.Port)).Select(r => r.Model));
    }

    [Fact]
    public async Task ReloadThatChangesOnlyB_KeepsAsProcessAndAppliesBsChange()
    {
        var a = new FakeModel("a");
        var b = new FakeModel("b", "--model b-v1");
        const string together = "groups:\n  both:\n    swap: false\n    members: [a, b]\n";
        await using var tinyswap = await TinySwapServer.StartAsync(FakeModel.Config(together, a, b));
        await TinySwapApi.CompleteOkAsync(tinyswap.Port, "a", servedBy: "a");
        await TinySwapApi.CompleteOkAsync(tinyswap.Port, "b", servedBy: "b-v1");
        var pidA = await TinySwapApi.ReadyPidAsync(tinyswap.Port, "a");
        var pidB = await TinySwapApi.ReadyPidAsync(tinyswap.Port, "b");

        await tinyswap.ReloadAsync(FakeModel.Config(together, a, b with { Flags = "--model b-v2" }));

        Assert.Single(tinyswap.LogLines("Config reloaded: 1 models kept running, 1 changed, 0 removed, 0 added"));
        Assert.Equal(pidA, await TinySwapApi.ReadyPidAsync(tinyswap.Port, "a"));
        await TinySwapApi.CompleteOkAsync(tinyswap.Port, "b", servedBy: "b-v2");
        Assert.NotEqual(pidB, await TinySwapApi.ReadyPidAsync(tinyswap.Port, "b"));
        Assert.False(ProcessTable.IsAlive(pidB), "b's old process still runs");
        await TinySwapApi.CompleteOkAsync(tinyswap.Port, "a", servedBy: "a");
        Assert.Equal(pidA, await TinySwapApi.ReadyPidAsync(tinyswap.Port, "a"));
        Assert.Single(tinyswap.LogLines("[a] started pid"));
    }

    [Fact]
    public async Task ModelWithTtlOfOneSecond_IsUnloadedAboutASecondAfterItsLastRequest()
    {
        var model = new FakeModel("brief", Settings: "ttl: 1");
        await using var tinyswap = await TinySwapServer.StartAsync(FakeModel.Config("", model));
        await TinySwapApi.CompleteOkAsync(tinyswap.Port, "brief", servedBy: "brief");
        var pid = await TinySwapApi.ReadyPidAsync(tinyswap.Port, "brief");
        // A second request restarts the idle clock: the unload counts from the last one.
        await TinySwapApi.CompleteOkAsync(tinyswap.Port, "brief", servedBy: "brief");
        var lastAnswer = Stopwatch.StartNew();

        var running = await TinySwapApi.PollRunningAsync(tinyswap.Port, r => r.Count == 0);
        var unloadedAfter = lastAnswer.Elapsed;

        Assert.True(running.Count == 0, $"still running after {unloadedAfter}: {string.Join(", ", running)}");
        Assert.True(unloadedAfter >= TimeSpan.FromSeconds(0.9), $"unloaded {unloadedAfter} after the last request, before its TTL");
        Assert.False(ProcessTable.IsAlive(pid));
        await tinyswap.WaitForLogAsync("brief idle for its TTL of 1 s; unloading");
        Assert.Single(tinyswap.LogLines("brief idle for its TTL"));
    }
}
