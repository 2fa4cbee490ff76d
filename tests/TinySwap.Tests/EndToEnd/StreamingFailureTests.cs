using System.Diagnostics;
using TinySwap.Tests.Support;

namespace TinySwap.Tests.EndToEnd;

/// <summary>A stream that ends badly on either side: the other side must learn of it, never see a false end.</summary>
public sealed class StreamingFailureTests
{
    [Fact]
    public async Task ClientDisconnectsMidStream_UpstreamConnectionIsClosedAndTheRequestEnds()
    {
        var model = new FakeModel("a");
        await using var tinyswap = await TinySwapServer.StartAsync(FakeModel.Config("", model));
        await TinySwapApi.LoadAsync(tinyswap.Port, "a");
        var before = TcpTable.OpenPeersOf(model.Port);

        // 400 events 50 ms apart: twenty seconds of stream, if nobody stops it.
        using var stream = await SseStream.OpenAsync(tinyswap.Port, """{"model":"a","stream":true,"n_events":400,"gap_ms":50}""");
        Assert.NotNull(await stream.ReadEventAsync());
        Assert.NotNull(await stream.ReadEventAsync());
        var during = TcpTable.OpenPeersOf(model.Port);
        // The stream went over a new connection, or over the one idle connection the health probe left in the pool.
        var fresh = during.Except(before).ToList();
        var streaming = fresh.Count == 1 ? fresh[0] : Assert.Single(during);
        Assert.Equal(1, Assert.Single(await TinySwapApi.RunningAsync(tinyswap.Port)).InFlight);

        stream.Dispose();
        var clock = Stopwatch.StartNew();
        while (TcpTable.OpenPeersOf(model.Port).Contains(streaming) && clock.Elapsed < TinySwapServer.Generous)
            await Task.Delay(10);
        var closedAfter = clock.Elapsed;
        var running = await TinySwapApi.PollRunningAsync(tinyswap.Port, r => r.All(m => m.InFlight == 0));

        Assert.False(TcpTable.OpenPeersOf(model.Port).Contains(streaming),
            $"the upstream still streams over the connection from port {streaming} {closedAfter} after the client left");
        Assert.Equal(new RunningModel("a", "ready", running[0].Pid, 0), Assert.Single(running));
        // The model is fine afterwards.
        await TinySwapApi.CompleteOkAsync(tinyswap.Port, "a", servedBy: "a");
    }

    [Fact]
    public async Task UpstreamDiesMidResponse_ClientConnectionIsAbortedWithoutATerminatingChunk()
    {
        var model = new FakeModel("a");
        await using var tinyswap = await TinySwapServer.StartAsync(FakeModel.Config("", model));

        using var stream = await SseStream.OpenAsync(tinyswap.Port, """{"model":"a","stream":true,"n_events":10,"gap_ms":20,"abort_after":3}""");
        var events = new List<string>();
        var cutShort = await Assert.ThrowsAsync<IOException>(async () =>
        {
            while (await stream.ReadEventAsync() is { } data)
                events.Add(data);
        });

        Assert.Contains("before the last chunk", cutShort.Message);
        Assert.DoesNotContain("[DONE]", events);
        Assert.True(events.Count <= 3, $"{events.Count} events, the upstream sent 3");
        Assert.Equal(Enumerable.Range(0, events.Count), SseStream.Sequence(events, "a"));
        // The next request is served normally.
        await TinySwapApi.CompleteOkAsync(tinyswap.Port, "a", servedBy: "a");
    }
}
