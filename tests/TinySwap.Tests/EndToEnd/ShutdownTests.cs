using TinySwap.Tests.Support;

namespace TinySwap.Tests.EndToEnd;

/// <summary>How tinyswap ends: drained and clean on SIGTERM; on SIGKILL, its models die with it.</summary>
public sealed class ShutdownTests
{
    [Fact]
    public async Task SigtermWithALiveStream_StreamCompletesEveryChildIsGoneExitZero()
    {
        var model = new FakeModel("a");
        await using var tinyswap = await TinySwapServer.StartAsync(FakeModel.Config("", model));
        using var stream = await SseStream.OpenAsync(tinyswap.Port, """{"model":"a","stream":true,"n_events":20,"gap_ms":50}""");
        var events = new List<string> { (await stream.ReadEventAsync())! };
        var pid = await TinySwapApi.ReadyPidAsync(tinyswap.Port, "a");

        tinyswap.Signal(ProcessTable.SIGTERM);
        await tinyswap.WaitForLogAsync(l => l.Contains("received SIGTERM", StringComparison.Ordinal));
        events.AddRange(await stream.ReadToEndAsync());
        var exitCode = await tinyswap.WaitForExitAsync();

        Assert.Equal("[DONE]", events[^1]);
        Assert.Equal(Enumerable.Range(0, 20), SseStream.Sequence(events, "a"));
        Assert.Equal(0, exitCode);
        Assert.False(ProcessTable.IsAlive(pid), "the model outlived tinyswap");
        // The watchdog helper leaves once tinyswap's end of its pipe closes; nothing else may be left at all.
        Assert.Empty(await tinyswap.WaitForNoDescendantsAsync(TinySwapServer.Generous));
        Assert.Single(tinyswap.LogLines("Every model is stopped"));
    }

    [Fact]
    public async Task KillNineWithTwoModelsUp_NoProcessOfTheirsRemainsAfterTwoSeconds()
    {
        // One of them leaves a grandchild holding its pipes, as a wrapper script or a worker pool would.
        var a = new FakeModel("a", "--fork-grandchild");
        var b = new FakeModel("b");
        const string together = "groups:\n  both:\n    swap: false\n    members: [a, b]\n";
        await using var tinyswap = await TinySwapServer.StartAsync(FakeModel.Config(together, a, b));
        await TinySwapApi.LoadAsync(tinyswap.Port, "a");
        await TinySwapApi.LoadAsync(tinyswap.Port, "b");
        var theirs = tinyswap.ModelProcesses();
        Assert.True(theirs.Count >= 3, $"expected two models and a grandchild, found {string.Join(", ", theirs.Select(ProcessTable.CommandLine))}");

        tinyswap.Signal(ProcessTable.SIGKILL);
        Assert.Equal(137, await tinyswap.WaitForExitAsync());
        var left = await tinyswap.WaitForNoDescendantsAsync(TimeSpan.FromSeconds(2));

        Assert.True(left.Count == 0, "still alive 2 s after tinyswap was killed: " + string.Join(", ", left.Select(ProcessTable.CommandLine)));
    }
}
