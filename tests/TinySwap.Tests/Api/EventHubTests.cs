using System.Text;
using System.Text.Json;
using TinySwap.Api.Events;
using TinySwap.Contracts;
using TinySwap.Observability.Streams;
using TinySwap.Tests.Proxy;
using TinySwap.Tests.Router;

namespace TinySwap.Tests.Api;

public sealed class EventHubTests
{
    private static List<(string Type, JsonElement Data)> Read(FanOutReader reader)
    {
        var events = new List<(string, JsonElement)>();
        while (reader.Messages.TryRead(out var frame))
        {
            var text = Encoding.UTF8.GetString(frame);
            Assert.StartsWith("event:message\ndata:", text);
            Assert.EndsWith("\n\n", text);
            var envelope = JsonDocument.Parse(text["event:message\ndata:".Length..^2]).RootElement;
            events.Add((envelope.GetProperty("type").GetString()!, JsonDocument.Parse(envelope.GetProperty("data").GetString()!).RootElement));
        }
        return events;
    }

    private static ModelStatus Status(string id, ModelState state, int inFlight = 0) => new(id, state, state == ModelState.Stopped ? null : 42, inFlight, 0, null);

    [Fact]
    public void ModelsChanged_SendsStatusOnlyWhenSomethingShownChanged_AndAStateChangePerMove()
    {
        using var hub = new EventHub(TestModels.Config(TestModels.Model("a"), TestModels.Model("b")), TimeProvider.System);
        using var reader = hub.Listen();

        hub.ModelsChanged([Status("a", ModelState.Stopped), Status("b", ModelState.Stopped)]);
        var first = Read(reader);
        Assert.Equal(["modelStatus"], first.Select(e => e.Type));
        Assert.Equal(["a", "b"], first[0].Data.EnumerateArray().Select(m => m.GetProperty("id").GetString()));

        hub.ModelsChanged([Status("a", ModelState.Stopped), Status("b", ModelState.Stopped)]);
        Assert.Empty(Read(reader));

        hub.ModelsChanged([Status("a", ModelState.Starting), Status("b", ModelState.Stopped)]);
        var moved = Read(reader);
        Assert.Equal(["stateChange", "modelStatus"], moved.Select(e => e.Type));
        Assert.Equal("a", moved[0].Data.GetProperty("model").GetString());
        Assert.Equal("stopped", moved[0].Data.GetProperty("from").GetString());
        Assert.Equal("starting", moved[0].Data.GetProperty("to").GetString());
        Assert.Equal(42, moved[1].Data[0].GetProperty("pid").GetInt32());

        // A request in flight is shown too, without a state change.
        hub.ModelsChanged([Status("a", ModelState.Starting, inFlight: 1), Status("b", ModelState.Stopped)]);
        Assert.Equal(["modelStatus"], Read(reader).Select(e => e.Type));
    }

    [Fact]
    public void AListenerWhosePumpIsHeldUp_KeepsABusyProxysBurst_WithoutBeingDropped()
    {
        // A clock that stands still: the whole burst falls in one second however slowly this machine runs it.
        using var hub = new EventHub(TestModels.Config(TestModels.Model("a")), new FakeTimeProvider());
        using var reader = hub.Listen();

        // ~100 ms of a proxy at 30k requests a second, a request event and an access line each, with nobody reading
        // meanwhile (a pump the scheduler has not run yet): when every one was sent, a queue of 512 dropped every
        // listener of a `make bench` run this way. Now a second's detail fits the queue, and the rest is counted.
        const int Requests = 3000;
        for (var i = 0; i < Requests; i++)
        {
            hub.RequestFinished(new FinishedRequest(i, "a", "/v1/chat/completions", 200, 0.001, 0.001, 7, 2, 0));
            hub.LogLine(null, $"POST /v1/chat/completions a 200 291 B 0.{i % 10} ms");
        }

        Assert.False(reader.WasDropped);
        Assert.True(EventHub.DefaultRequestsPerSecond + EventHub.DefaultLinesPerSecond < EventHub.DefaultQueueCapacity);
        Assert.Equal(EventHub.DefaultRequestsPerSecond + EventHub.DefaultLinesPerSecond, Read(reader).Count);
    }

    [Fact]
    public void AFrame_AllocatesOnlyItsOwnBytes_OnceTheThreadsWritersAreWarm()
    {
        var request = new FinishedRequest(1, "a", "/v1/chat/completions", 200, 0.0012, 0.0011, 19, 2, 1234.5);
        const string Line = "2026-12-02T10:06:18.240Z info proxy: POST /v1/chat/completions a 200 291 B 0.2 ms";
        EventJson.Request(request);
        EventJson.LogData(null, Line, newline: true);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var requestFrame = EventJson.Request(request);
        var logFrame = EventJson.LogData(null, Line, newline: true);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // The two shared frames (a byte array each: its length plus a 24-byte header, rounded to 8) and nothing else:
        // new writers and buffers per frame were ~1.5 KB of garbage for every proxied request.
        var frames = (requestFrame.Length + 24 + 7) / 8 * 8 + (logFrame.Length + 24 + 7) / 8 * 8;
        Assert.True(allocated <= frames, $"{allocated} bytes allocated for {frames} bytes of frames");
        // The line and its newline, escaped once in the inner JSON and again as the envelope's data string.
        Assert.EndsWith(@"B 0.2 ms\\n\""}""}" + "\n\n", Encoding.UTF8.GetString(logFrame));
    }

    [Fact]
    public void PastItsRate_TheStreamCountsRequestsAndLines_AndSendsTheCountsWhenTheSecondEnds()
    {
        var time = new FakeTimeProvider();
        using var hub = new EventHub(TestModels.Config(TestModels.Model("a")), time, requestsPerSecond: 3, linesPerSecond: 2);
        using var reader = hub.Listen();

        for (var i = 0; i < 10; i++)
        {
            hub.RequestFinished(new FinishedRequest(i, "a", "/v1/chat/completions", 200, 0.001, 0.001, 7, 2, 0));
            hub.LogLine(null, $"access line {i}");
        }
        var burst = Read(reader);
        Assert.Equal([0, 1, 2], burst.Where(e => e.Type == "request").Select(e => e.Data.GetProperty("id").GetInt32()));
        Assert.Equal(["access line 0\n", "access line 1\n"], burst.Where(e => e.Type == "logData").Select(e => e.Data.GetProperty("data").GetString()));
        Assert.Equal(5, burst.Count);

        // Nothing follows the burst: the counts still come, once the second is over, and only then.
        time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.Empty(Read(reader));
        time.Advance(TimeSpan.FromMilliseconds(1));
        var counts = Read(reader);
        Assert.Equal(["logData", "requestsOmitted"], counts.Select(e => e.Type).Order());
        var omitted = counts.Single(e => e.Type == "requestsOmitted").Data;
        Assert.Equal(7, omitted.GetProperty("count").GetInt32());
        Assert.Equal(3, omitted.GetProperty("perSecond").GetInt32());
        var line = counts.Single(e => e.Type == "logData").Data;
        Assert.Equal("proxy", line.GetProperty("source").GetString());
        Assert.Contains("warn events: 8 log lines were not sent on this stream (it sends at most 2 a second)", line.GetProperty("data").GetString());

        // A new second sends in detail again, and a count is never sent twice.
        hub.RequestFinished(new FinishedRequest(10, "a", "/v1/chat/completions", 200, 0.001, 0.001, 7, 2, 0));
        Assert.Equal(["request"], Read(reader).Select(e => e.Type));
        time.Advance(TimeSpan.FromSeconds(5));
        Assert.Empty(Read(reader));
    }

    [Fact]
    public void LogLine_IsLlamaSwapsLogData_ProxyForOwnLinesUpstreamForModels()
    {
        using var hub = new EventHub(TestModels.Config(TestModels.Model("a")), TimeProvider.System);
        using var reader = hub.Listen();

        hub.LogLine(null, "own \"quoted\" line");
        hub.LogLine("a", "model line");

        var events = Read(reader);
        Assert.Equal("proxy", events[0].Data.GetProperty("source").GetString());
        Assert.Equal("own \"quoted\" line\n", events[0].Data.GetProperty("data").GetString());
        Assert.Equal("upstream", events[1].Data.GetProperty("source").GetString());
        Assert.Equal("a", events[1].Data.GetProperty("model").GetString());
    }
}
