using System.Globalization;
using System.Text.Json;
using TinySwap.Tests.Support;

namespace TinySwap.Tests.EndToEnd;

/// <summary>/metrics, the activity list and the small API routes, through dist/tinyswap and dist/FakeUpstream.</summary>
public sealed class MetricsTests
{
    private const string Chat = "route=\"/v1/chat/completions\"";

    [Fact]
    public async Task ScriptedRun_EverySeriesCountsWhatHappened_AndPromtoolAcceptsTheOutput()
    {
        var a = new FakeModel("a", Settings: "concurrencyLimit: 1");
        var b = new FakeModel("b");
        var broken = new FakeModel("broken", "--fail-start");
        await using var tinyswap = await TinySwapServer.StartAsync(FakeModel.Config("", a, b, broken));
        var port = tinyswap.Port;

        // 1. A slow answer from a holds its only slot (a cold start: the first swap); a second request meanwhile gets 429.
        var slow = TinySwapApi.CompleteAsync(port, "a", ""","delay_ms":1500""");
        await TinySwapApi.PollRunningAsync(port, running => running.Any(r => r is { Model: "a", InFlight: 1 }));
        var refused = await TinySwapApi.CompleteAsync(port, "a");
        Assert.True(refused.Status == 429, refused.ToString());
        var slowAnswer = await slow;
        Assert.True(slowAnswer.Status == 200, slowAnswer.ToString());
        // 2. broken fails to start (a is evicted for it); 3. b starts; 4. a streams with usage, evicting b.
        var failed = await TinySwapApi.CompleteAsync(port, "broken");
        Assert.True(failed.Status == 502, failed.ToString());
        var answerB = await TinySwapApi.CompleteOkAsync(port, "b", servedBy: "b");
        var streamed = await TinySwapApi.CompleteAsync(port, "a", ""","stream":true,"n_events":3,"stream_options":{"include_usage":true}""");
        Assert.True(streamed.Status == 200, streamed.ToString());

        // A request is counted once its last byte is written, which the client may see before the count lands; the
        // in-flight gauge is the router loop's published view, which learns of a lease the loop granted (a's cold
        // start) by a message of its own. Scrape until both show the streamed request ended (bounded), then assert
        // everything on that scrape.
        var scrape = await RawHttp.GetAsync(port, "/metrics");
        var m = new Exposition(scrape.BodyText);
        for (var waited = System.Diagnostics.Stopwatch.StartNew();
             (m[$"tinyswap_requests_total{{model=\"a\",{Chat},code=\"200\"}}"] < 2 || m["tinyswap_requests_in_flight{model=\"a\"}"] != 0)
             && waited.Elapsed < TimeSpan.FromSeconds(5);)
        {
            scrape = await RawHttp.GetAsync(port, "/metrics");
            m = new Exposition(scrape.BodyText);
        }
        Assert.Equal(200, scrape.Status);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", scrape.Header("content-type"));

        Assert.Equal(2, m[$"tinyswap_requests_total{{model=\"a\",{Chat},code=\"200\"}}"]);
        Assert.Equal(1, m[$"tinyswap_requests_total{{model=\"a\",{Chat},code=\"429\"}}"]);
        Assert.Equal(1, m[$"tinyswap_requests_total{{model=\"b\",{Chat},code=\"200\"}}"]);
        Assert.Equal(1, m[$"tinyswap_requests_total{{model=\"broken\",{Chat},code=\"502\"}}"]);
        Assert.True(m["tinyswap_requests_total{model=\"(none)\",route=\"/running\",code=\"200\"}"] >= 1, "the polls of /running");

        Assert.Equal(3, m["tinyswap_request_duration_seconds_count{model=\"a\"}"]);
        Assert.Equal(3, m["tinyswap_request_duration_seconds_bucket{model=\"a\",le=\"+Inf\"}"]);
        Assert.True(m["tinyswap_request_duration_seconds_sum{model=\"a\"}"] >= 1.5, "the slow answer alone took 1.5 s");
        Assert.Equal(2, m["tinyswap_time_to_first_byte_seconds_count{model=\"a\"}"]);
        Assert.Equal(2, m["tinyswap_queue_wait_seconds_count{model=\"a\"}"]);

        var slowUsage = slowAnswer.Json().GetProperty("usage");
        Assert.Equal(slowUsage.GetProperty("prompt_tokens").GetInt32() + 7, m["tinyswap_prompt_tokens_total{model=\"a\"}"]);
        Assert.Equal(slowUsage.GetProperty("completion_tokens").GetInt32() + 3, m["tinyswap_generated_tokens_total{model=\"a\"}"]);
        Assert.Equal(answerB.GetProperty("usage").GetProperty("completion_tokens").GetInt32(), m["tinyswap_generated_tokens_total{model=\"b\"}"]);
        Assert.Equal(50.5, m["tinyswap_generation_tokens_per_second{model=\"a\"}"]);

        Assert.Equal(2, m["tinyswap_swaps_total{model=\"a\"}"]);
        Assert.Equal(1, m["tinyswap_swaps_total{model=\"b\"}"]);
        Assert.Equal(1, m["tinyswap_swaps_total{model=\"broken\"}"]);
        Assert.Equal(2, m["tinyswap_swap_duration_seconds_count{model=\"a\"}"]);
        Assert.Equal(0, m["tinyswap_swap_duration_seconds_count{model=\"broken\"}"]);
        Assert.Equal(1, m["tinyswap_load_failures_total{model=\"broken\"}"]);
        Assert.Equal(0, m["tinyswap_load_failures_total{model=\"a\"}"]);
        Assert.Equal(1, m["tinyswap_evictions_total{model=\"a\",reason=\"swap\"}"]);
        Assert.Equal(1, m["tinyswap_evictions_total{model=\"b\",reason=\"swap\"}"]);
        Assert.Equal(0, m["tinyswap_evictions_total{model=\"a\",reason=\"ttl\"}"]);

        Assert.Equal(1, m["tinyswap_models{state=\"ready\"}"]);
        Assert.Equal(0, m["tinyswap_queue_depth{model=\"a\"}"]);
        Assert.Equal(0, m["tinyswap_requests_in_flight{model=\"a\"}"]);
        Assert.True(m["tinyswap_model_resident_memory_bytes{model=\"a\"}"] > 1 << 20, "a's FakeUpstream has more than 1 MB resident");
        Assert.True(m.Has("tinyswap_model_cpu_seconds_total{model=\"a\"}"));
        Assert.False(m.Has("tinyswap_model_resident_memory_bytes{model=\"b\"}"), "b is stopped: no process to measure");
        Assert.True(m["tinyswap_resident_memory_bytes"] > 1 << 20);
        Assert.True(m["tinyswap_gc_heap_bytes"] > 0);
        Assert.True(m["tinyswap_open_connections"] >= 1, "the scrape's own connection is open");

        if (await Promtool.CheckMetricsAsync(m.Text) is { } complaints)
            Assert.True(complaints.Length == 0, complaints + "\n" + m.Text);
    }

    [Fact]
    public async Task Activity_ListsFinishedRequestsNewestFirst_WithTokensAndTimings()
    {
        var a = new FakeModel("a");
        await using var tinyswap = await TinySwapServer.StartAsync(FakeModel.Config("metricsMaxInMemory: 2", a));
        await TinySwapApi.CompleteOkAsync(tinyswap.Port, "a", servedBy: "a");
        await TinySwapApi.CompleteOkAsync(tinyswap.Port, "a", servedBy: "a");
        var streamed = await TinySwapApi.CompleteAsync(tinyswap.Port, "a", ""","stream":true,"n_events":4,"stream_options":{"include_usage":true}""");
        Assert.Equal(200, streamed.Status);

        var activity = (await RawHttp.GetAsync(tinyswap.Port, "/api/metrics/activity")).Json();
        var data = activity.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(2, data.Count); // metricsMaxInMemory: the ring keeps two
        var newest = data[0];
        Assert.Equal("a", newest.GetProperty("model").GetString());
        Assert.Equal("/v1/chat/completions", newest.GetProperty("req_path").GetString());
        Assert.Equal(200, newest.GetProperty("resp_status_code").GetInt32());
        Assert.Equal(7, newest.GetProperty("tokens").GetProperty("input_tokens").GetInt32());
        Assert.Equal(4, newest.GetProperty("tokens").GetProperty("output_tokens").GetInt32());
        Assert.Equal(50.5, newest.GetProperty("tokens").GetProperty("tokens_per_second").GetDouble());
        Assert.True(newest.GetProperty("ttfb_ms").GetDouble() <= newest.GetProperty("duration_ms").GetDouble() + 1);
        Assert.True(newest.GetProperty("id").GetInt64() > data[1].GetProperty("id").GetInt64());

        // The access log: one info line per request, model and status in it; a 404 only at debug.
        // Access lines reach stdout in batches a few milliseconds late: wait for the third, then count.
        var access = await tinyswap.WaitForLogAsync(line => line.Contains("info: proxy[3003] POST /v1/chat/completions a 200 ", StringComparison.Ordinal), 3);
        Assert.Matches(@"a 200 \d+ B [\d.]+ ms$", access);
        Assert.Equal(3, tinyswap.CountLog(line => line.Contains("proxy[3003] POST /v1/chat/completions a 200", StringComparison.Ordinal)));
        Assert.Equal(404, (await RawHttp.GetAsync(tinyswap.Port, "/nothing-here")).Status);

        var stats = (await RawHttp.GetAsync(tinyswap.Port, "/api/metrics/stats")).Json();
        Assert.Equal(5, stats.GetProperty("total_requests").GetInt32()); // three completions, the activity request, the 404
        Assert.DoesNotContain(tinyswap.Log, line => line.Contains("/nothing-here", StringComparison.Ordinal));
        Assert.Equal(4 + 2 * 2, stats.GetProperty("total_output_tokens").GetInt32());
    }

    [Fact]
    public async Task Version_AnswersLlamaSwapsFields()
    {
        await using var tinyswap = await TinySwapServer.StartAsync(FakeModel.Config("", new FakeModel("a")));
        var version = (await RawHttp.GetAsync(tinyswap.Port, "/api/version")).Json();
        Assert.Matches(@"^\d+\.\d+\.\d+", version.GetProperty("version").GetString());
        Assert.Equal(JsonValueKind.String, version.GetProperty("commit").ValueKind);
        Assert.Equal(JsonValueKind.String, version.GetProperty("build_date").ValueKind);
    }

    [Fact]
    public async Task GetUnload_StopsEveryModel_ButNotWhenABrowserSendsItCrossSite()
    {
        var a = new FakeModel("a");
        await using var tinyswap = await TinySwapServer.StartAsync(FakeModel.Config("", a));
        await TinySwapApi.CompleteOkAsync(tinyswap.Port, "a", servedBy: "a");

        var crossSite = await RawHttp.SendAsync(tinyswap.Port, "GET", "/unload", extraHeaders: ["Sec-Fetch-Site: cross-site"]);
        Assert.Equal(403, crossSite.Status);
        var foreign = await RawHttp.SendAsync(tinyswap.Port, "GET", "/unload", extraHeaders: ["Origin: https://evil.example"]);
        Assert.Equal(403, foreign.Status);
        Assert.Equal("ready", (await TinySwapApi.RunningAsync(tinyswap.Port)).Single().State);

        var unload = await RawHttp.GetAsync(tinyswap.Port, "/unload");
        Assert.Equal(200, unload.Status);
        Assert.Equal("OK", unload.BodyText);
        Assert.Empty(await TinySwapApi.RunningAsync(tinyswap.Port));
    }

    [Fact]
    public async Task CancelInflight_EndsTheRequestWithThatId()
    {
        var a = new FakeModel("a");
        await using var tinyswap = await TinySwapServer.StartAsync(FakeModel.Config("", a));
        var slow = TinySwapApi.CompleteAsync(tinyswap.Port, "a", ""","delay_ms":30000""");
        await TinySwapApi.PollRunningAsync(tinyswap.Port, running => running.Any(r => r.InFlight == 1));
        var inflight = (await RawHttp.GetAsync(tinyswap.Port, "/api/metrics/activity")).Json().GetProperty("inflight").EnumerateArray()
            .Where(e => e.GetProperty("model").GetString() == "a").ToList();
        var slowId = Assert.Single(inflight).GetProperty("id").GetInt64();

        var cancel = await RawHttp.SendAsync(tinyswap.Port, "POST", $"/api/inflight/{slowId.ToString(CultureInfo.InvariantCulture)}/cancel");
        Assert.True(cancel.Status == 200, cancel.ToString());
        await Assert.ThrowsAnyAsync<Exception>(() => slow);
        var unknown = await RawHttp.SendAsync(tinyswap.Port, "POST", "/api/inflight/999999/cancel");
        Assert.Equal(404, unknown.Status);
    }
}
