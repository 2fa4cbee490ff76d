using System.Globalization;
using System.Text;
using System.Text.Json;
using TinySwap.Tests.Support;

namespace TinySwap.Tests.EndToEnd;

/// <summary>captureBuffer: requests and answers kept in memory and served by /api/captures/{id}, through dist/tinyswap.</summary>
public sealed class CaptureTests
{
    [Fact]
    public async Task CapturesOn_ForwardedRequestAndStreamedAnswerAreKept_WithCredentialsRedacted()
    {
        var a = new FakeModel("a");
        await using var tinyswap = await TinySwapServer.StartAsync(FakeModel.Config("captureBuffer: 1", a));
        const string body = """{"model":"a","messages":[{"role":"user","content":"hi"}],"stream":true,"n_events":3}""";
        var streamed = await RawHttp.SendAsync(tinyswap.Port, "POST", "/v1/chat/completions", Encoding.UTF8.GetBytes(body), "application/json",
            ["Authorization: Bearer sk-client-secret", "Cookie: session=cookie-secret", "X-Trace: kept"]);
        Assert.True(streamed.Status == 200, streamed.ToString());

        var entry = await ActivityEntryAsync(tinyswap.Port, "a");
        Assert.True(entry.GetProperty("has_capture").GetBoolean());
        var capture = await CaptureAsync(tinyswap.Port, entry.GetProperty("id").GetInt64());

        Assert.Equal("POST", capture.GetProperty("method").GetString());
        Assert.Equal("/v1/chat/completions", capture.GetProperty("req_path").GetString());
        Assert.Equal("a", capture.GetProperty("model").GetString());
        var requestHeaders = capture.GetProperty("req_headers");
        Assert.Equal("[REDACTED]", requestHeaders.GetProperty("Authorization").GetString());
        Assert.Equal("[REDACTED]", requestHeaders.GetProperty("Cookie").GetString());
        Assert.Equal("kept", requestHeaders.GetProperty("X-Trace").GetString());
        Assert.DoesNotContain("secret", capture.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(body, Encoding.UTF8.GetString(capture.GetProperty("req_body").GetBytesFromBase64()));
        Assert.False(capture.GetProperty("req_body_truncated").GetBoolean());

        // The streamed answer as the client got it: every event, byte for byte.
        Assert.Equal(200, capture.GetProperty("resp_status_code").GetInt32());
        Assert.StartsWith("text/event-stream", capture.GetProperty("resp_headers").GetProperty("Content-Type").GetString());
        var answer = Encoding.UTF8.GetString(capture.GetProperty("resp_body").GetBytesFromBase64());
        Assert.Equal(streamed.BodyText, answer);
        Assert.Contains("data: [DONE]", answer, StringComparison.Ordinal);
        Assert.Equal(answer.Length, capture.GetProperty("resp_body_bytes").GetInt64());
        Assert.False(capture.GetProperty("resp_body_truncated").GetBoolean());
    }

    [Fact]
    public async Task CapturesOn_ABodyOverItsShare_IsCutAndMarked_AndOldCapturesMakeRoom()
    {
        var a = new FakeModel("a");
        await using var tinyswap = await TinySwapServer.StartAsync(FakeModel.Config("captureBuffer: 1", a));
        // 1 MB budget: each body keeps at most 128 KB, so this 300 KB prompt is cut.
        var prompt = new string('x', 300 * 1024);
        var big = await TinySwapApi.CompleteAsync(tinyswap.Port, "a", $$""","x_padding":"{{prompt}}" """);
        Assert.True(big.Status == 200, big.ToString());
        var bigEntry = await ActivityEntryAsync(tinyswap.Port, "a");
        var capture = await CaptureAsync(tinyswap.Port, bigEntry.GetProperty("id").GetInt64());
        Assert.True(capture.GetProperty("req_body_truncated").GetBoolean());
        Assert.Equal(128 * 1024, capture.GetProperty("req_body").GetBytesFromBase64().Length);
        Assert.True(capture.GetProperty("req_body_bytes").GetInt64() > prompt.Length);

        // Eight more such requests need more than the budget: the first capture is evicted, the newest kept.
        for (var i = 0; i < 8; i++)
            Assert.Equal(200, (await TinySwapApi.CompleteAsync(tinyswap.Port, "a", $$""","x_padding":"{{prompt}}" """)).Status);
        var newest = await ActivityEntryAsync(tinyswap.Port, "a");
        Assert.True(newest.GetProperty("has_capture").GetBoolean());
        var evicted = await RawHttp.GetAsync(tinyswap.Port, "/api/captures/" + bigEntry.GetProperty("id").GetInt64().ToString(CultureInfo.InvariantCulture));
        Assert.Equal(404, evicted.Status);
    }

    [Fact]
    public async Task CapturesOff_NothingIsKept_AndTheRouteSaysHowToTurnThemOn()
    {
        var a = new FakeModel("a");
        await using var tinyswap = await TinySwapServer.StartAsync(FakeModel.Config("", a));
        await TinySwapApi.CompleteOkAsync(tinyswap.Port, "a", servedBy: "a");
        var entry = await ActivityEntryAsync(tinyswap.Port, "a");
        Assert.False(entry.GetProperty("has_capture").GetBoolean());
        var missing = await RawHttp.GetAsync(tinyswap.Port, "/api/captures/" + entry.GetProperty("id").GetInt64().ToString(CultureInfo.InvariantCulture));
        Assert.Equal(404, missing.Status);
        Assert.Contains("captureBuffer", missing.BodyText, StringComparison.Ordinal);
        Assert.Equal(400, (await RawHttp.GetAsync(tinyswap.Port, "/api/captures/12x")).Status);
    }

    [Fact]
    public async Task Reload_TurnsCapturesOnAndOff()
    {
        var a = new FakeModel("a");
        await using var tinyswap = await TinySwapServer.StartAsync(FakeModel.Config("", a));
        await tinyswap.ReloadAsync(FakeModel.Config("captureBuffer: 1", a));
        await TinySwapApi.CompleteOkAsync(tinyswap.Port, "a", servedBy: "a");
        var entry = await ActivityEntryAsync(tinyswap.Port, "a");
        Assert.True(entry.GetProperty("has_capture").GetBoolean());
        var id = entry.GetProperty("id").GetInt64().ToString(CultureInfo.InvariantCulture);
        Assert.Equal(200, (await RawHttp.GetAsync(tinyswap.Port, "/api/captures/" + id)).Status);

        await tinyswap.ReloadAsync(FakeModel.Config("captureBuffer: 0", a));
        var gone = await RawHttp.GetAsync(tinyswap.Port, "/api/captures/" + id);
        Assert.Equal(404, gone.Status);
        Assert.Contains("captures are off", gone.BodyText, StringComparison.Ordinal);
        await TinySwapApi.CompleteOkAsync(tinyswap.Port, "a", servedBy: "a");
        var after = await ActivityEntryAsync(tinyswap.Port, "a", newerThan: entry.GetProperty("id").GetInt64());
        Assert.False(after.GetProperty("has_capture").GetBoolean());
    }

    /// <summary>The newest finished request for <paramref name="model"/> (it is listed once its last byte went out, so poll briefly).</summary>
    private static async Task<JsonElement> ActivityEntryAsync(int port, string model, long newerThan = 0)
    {
        for (var waited = System.Diagnostics.Stopwatch.StartNew(); ; await Task.Delay(20))
        {
            var data = (await RawHttp.GetAsync(port, "/api/metrics/activity")).Json().GetProperty("data").EnumerateArray()
                .Where(e => e.GetProperty("model").GetString() == model && e.GetProperty("id").GetInt64() > newerThan).ToList();
            if (data.Count > 0 || waited.Elapsed > TimeSpan.FromSeconds(5))
                return data.First();
        }
    }

    private static async Task<JsonElement> CaptureAsync(int port, long id)
    {
        var response = await RawHttp.GetAsync(port, "/api/captures/" + id.ToString(CultureInfo.InvariantCulture));
        Assert.True(response.Status == 200, response.ToString());
        return response.Json();
    }
}
