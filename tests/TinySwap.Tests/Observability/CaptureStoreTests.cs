using System.Buffers;
using System.Text;
using TinySwap.Observability;
using TinySwap.Observability.Capture;

namespace TinySwap.Tests.Observability;

public sealed class CaptureStoreTests
{
    [Fact]
    public void Add_OverBudget_EvictsOldestFirst()
    {
        var first = Capture(1, bodyBytes: 400);
        var store = new CaptureStore(first.SizeBytes * 2 + 10);
        Assert.True(store.Add(first));
        Assert.True(store.Add(Capture(2, bodyBytes: 400)));
        Assert.True(store.Add(Capture(3, bodyBytes: 400)));

        Assert.False(store.Contains(1));
        Assert.True(store.Contains(2));
        Assert.True(store.Contains(3));
        Assert.Equal(2, store.Count);
        Assert.True(store.UsedBytes <= store.BudgetBytes);
    }

    [Fact]
    public void Add_CaptureLargerThanTheWholeBudget_IsRefusedAndEvictsNothing()
    {
        var store = new CaptureStore(2000);
        Assert.True(store.Add(Capture(1, bodyBytes: 100)));
        Assert.False(store.Add(Capture(2, bodyBytes: 5000)));
        Assert.True(store.Contains(1));
        Assert.Null(store.Find(2));
    }

    [Fact]
    public void BudgetLowered_EvictsAtOnce_AndZeroTakesRecordersAway()
    {
        var store = new CaptureStore(100_000);
        store.Add(Capture(1, bodyBytes: 1000));
        store.Add(Capture(2, bodyBytes: 1000));
        store.BudgetBytes = Capture(2, bodyBytes: 1000).SizeBytes;
        Assert.Equal([false, true], [store.Contains(1), store.Contains(2)]);

        var trace = new RequestTrace(() => { });
        store.RequestStarted(trace);
        Assert.NotNull(trace.Capture);
        store.BudgetBytes = 0;
        Assert.Equal(0, store.Count);
        store.RequestStarted(trace);
        Assert.Null(trace.Capture);
    }

    [Fact]
    public void RequestFinished_KeepsOnlyWhatTheForwarderRecorded()
    {
        var store = new CaptureStore(1 << 20);
        var trace = new RequestTrace(() => { });
        trace.Begin(1, DateTimeOffset.UnixEpoch);
        store.RequestStarted(trace);
        store.RequestFinished(trace, 200, 0, 2);
        Assert.Equal(0, store.Count); // an API route: never reached the forwarder

        trace.Begin(3, DateTimeOffset.UnixEpoch);
        store.RequestStarted(trace);
        trace.Model = "m";
        trace.Capture!.BeginRequest("POST"u8, "/v1/chat/completions"u8);
        trace.Capture.RequestBody("{}"u8);
        store.RequestFinished(trace, 200, 0, 4);
        var kept = Assert.IsType<RequestCapture>(store.Find(trace.Id));
        Assert.Equal(("m", "POST", "/v1/chat/completions", "{}"), (kept.Model, kept.Method, kept.Path, Encoding.ASCII.GetString(kept.RequestBody)));
        Assert.False(trace.Capture.IsRecording);
    }

    [Fact]
    public void Recorder_RedactsCredentials_JoinsRepeatedFields_AndCutsBodiesAtTheLimit()
    {
        var recorder = new CaptureRecorder();
        recorder.Reset(bodyLimit: 8);
        recorder.BeginRequest("POST"u8, "/v1/completions"u8);
        recorder.RequestHeader("Authorization"u8, "Bearer sk-secret"u8);
        recorder.RequestHeader("X-Api-Key"u8, "sk-secret"u8);
        recorder.RequestHeader("Cookie"u8, "session=secret"u8);
        recorder.RequestHeader("Accept"u8, "text/plain"u8);
        recorder.RequestHeader("accept"u8, "application/json"u8);
        recorder.RequestBody(new ReadOnlySequence<byte>("0123456789abcdef"u8.ToArray()));
        recorder.ResponseHead(200);
        recorder.ResponseHeader("Set-Cookie"u8, "a=secret"u8);
        recorder.ResponseBody(new ReadOnlySequence<byte>("short"u8.ToArray()));

        var capture = recorder.Take(7, "m");
        var headers = capture.RequestHeaders.ToDictionary(h => h.Key, h => h.Value);
        Assert.Equal(SensitiveHeaders.Redacted, headers["Authorization"]);
        Assert.Equal(SensitiveHeaders.Redacted, headers["X-Api-Key"]);
        Assert.Equal(SensitiveHeaders.Redacted, headers["Cookie"]);
        Assert.Equal("text/plain, application/json", headers["Accept"]);
        Assert.Equal(SensitiveHeaders.Redacted, Assert.Single(capture.ResponseHeaders).Value);
        Assert.DoesNotContain(capture.RequestHeaders.Concat(capture.ResponseHeaders), h => h.Value.Contains("secret", StringComparison.Ordinal));
        Assert.Equal("01234567", Encoding.ASCII.GetString(capture.RequestBody));
        Assert.Equal((16L, true), (capture.RequestBodyBytes, capture.RequestBodyTruncated));
        Assert.Equal(("short", false), (Encoding.ASCII.GetString(capture.ResponseBody), capture.ResponseBodyTruncated));
    }

    [Fact]
    public void Recorder_Retry_RecordsTheBodyOnce()
    {
        var recorder = new CaptureRecorder();
        recorder.Reset(bodyLimit: 100);
        recorder.BeginRequest("POST"u8, "/x"u8);
        recorder.RequestBody("body"u8);
        recorder.RestartRequestBody();
        recorder.RequestBody("body"u8);
        Assert.Equal("body", Encoding.ASCII.GetString(recorder.Take(1, null).RequestBody));
    }

    [Fact]
    public void CappedBytes_ManySmallAppends_KeepTheFirstLimitBytesAndCountTheRest()
    {
        var bytes = new CappedBytes();
        bytes.Reset(10_000);
        var expected = new List<byte>();
        for (var i = 0; i < 5000; i++)
        {
            var piece = new[] { (byte)i, (byte)(i >> 8), (byte)7 };
            bytes.Append(piece);
            expected.AddRange(piece);
        }
        Assert.Equal(15_000, bytes.Total);
        Assert.True(bytes.Truncated);
        Assert.Equal(expected.Take(10_000).ToArray(), bytes.Kept.ToArray());
        bytes.Reset(0);
        Assert.Equal(0, bytes.Kept.Length);
        Assert.Equal(0, bytes.Total);
    }

    private static RequestCapture Capture(long id, int bodyBytes) =>
        new(id, "m", "POST", "/v1/chat/completions", [], new byte[bodyBytes], bodyBytes, 200, [], [], 0);
}
