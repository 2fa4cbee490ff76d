using System.Diagnostics;
using System.Text;
using TinySwap.Api;
using TinySwap.Contracts;
using TinySwap.Http.Buffers;
using TinySwap.Observability;
using TinySwap.Observability.Metrics;
using TinySwap.Tests.Api;
using TinySwap.Tests.Support;

namespace TinySwap.Tests.Observability;

public sealed class MetricsExpositionTests
{
    [Fact]
    public void Histogram_BucketsAreCumulative_AndCountAndSumFollow()
    {
        var histogram = new Histogram([1, 5]);
        histogram.Observe(0.5);
        histogram.Observe(1);   // on the bound: le="1" (upper bounds are inclusive)
        histogram.Observe(3);
        histogram.Observe(60);
        var m = Scrape(w => w.Histogram("h"u8, "model=\"a\""u8, histogram));

        Assert.Equal(2, m["h_bucket{model=\"a\",le=\"1\"}"]);
        Assert.Equal(3, m["h_bucket{model=\"a\",le=\"5\"}"]);
        Assert.Equal(4, m["h_bucket{model=\"a\",le=\"+Inf\"}"]);
        Assert.Equal(4, m["h_count{model=\"a\"}"]);
        Assert.Equal(64.5, m["h_sum{model=\"a\"}"]);
    }

    [Fact]
    public void ModelIdWithQuotesAndBackslashes_IsEscapedInItsLabel()
    {
        var registry = new MetricsRegistry(["we\"ird\\id"]);
        var text = Encoding.UTF8.GetString(Write(registry, new FakeStatusSource()));
        Assert.Contains("tinyswap_swaps_total{model=\"we\\\"ird\\\\id\"} 0\n", text);
    }

    [Fact]
    public void UnknownModel_CountsUnderTheNoModelLabel_NeverUnderTheNameTheClientSent()
    {
        var registry = new MetricsRegistry(["a"]);
        var trace = Finished(registry, model: "client-invented", route: "/v1/chat/completions", status: 404);
        var text = Encoding.UTF8.GetString(Write(registry, new FakeStatusSource()));
        Assert.Contains("tinyswap_requests_total{model=\"(none)\",route=\"/v1/chat/completions\",code=\"404\"} 1\n", text);
        Assert.DoesNotContain(trace.Model!, text);
    }

    [Fact]
    public void RouterEvents_CountSwapsFailuresAndEvictionsByReason()
    {
        var registry = new MetricsRegistry(["a", "b"]);
        var hub = new Observations();
        hub.Subscribe(registry);
        hub.SwapStarted("b", ["a"]);
        hub.Evicted("a", EvictionReasons.Swap);
        hub.LoadFailed("b", "exit 1");
        hub.Evicted("b", EvictionReasons.Ttl);
        hub.SwapFinished("a", TimeSpan.FromSeconds(3));
        var m = new Exposition(Encoding.UTF8.GetString(Write(registry, new FakeStatusSource())));

        Assert.Equal(1, m["tinyswap_swaps_total{model=\"b\"}"]);
        Assert.Equal(1, m["tinyswap_load_failures_total{model=\"b\"}"]);
        Assert.Equal(1, m["tinyswap_evictions_total{model=\"a\",reason=\"swap\"}"]);
        Assert.Equal(1, m["tinyswap_evictions_total{model=\"b\",reason=\"ttl\"}"]);
        Assert.Equal(1, m["tinyswap_swap_duration_seconds_bucket{model=\"a\",le=\"5\"}"]);
        Assert.Equal(0, m["tinyswap_swap_duration_seconds_bucket{model=\"a\",le=\"2\"}"]);
    }

    [Fact]
    public void Scrape_AllocatesNothingBeyondItsOutputBuffer()
    {
        var registry = new MetricsRegistry(["a", "b"]);
        Finished(registry, "a", "/v1/chat/completions", 200);
        var status = new FakeStatusSource(new ModelStatus("a", ModelState.Ready, null, 0, 0, null), new ModelStatus("b", ModelState.Stopped, null, 0, 0, null));
        var endpoint = new MetricsEndpoint(registry, new SupervisorMetrics(), status, () => 3, "1.0.0");
        using var buffer = new PooledBuffer(256 * 1024);
        endpoint.Write(new ExpositionWriter(buffer)); // first scrape: statics and lazily made label sets
        var before = GC.GetAllocatedBytesForCurrentThread();
        endpoint.Write(new ExpositionWriter(buffer));
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static RequestTrace Finished(MetricsRegistry registry, string model, string route, int status)
    {
        var trace = new RequestTrace(() => { });
        trace.Begin(Stopwatch.GetTimestamp(), DateTimeOffset.UtcNow);
        trace.Model = model;
        trace.Route = route;
        registry.RequestFinished(trace, status, 10, Stopwatch.GetTimestamp());
        return trace;
    }

    private static byte[] Write(MetricsRegistry registry, IModelStatusSource status)
    {
        using var buffer = new PooledBuffer();
        new MetricsEndpoint(registry, new SupervisorMetrics(), status, () => 0, "test").Write(new ExpositionWriter(buffer));
        return buffer.WrittenSpan.ToArray();
    }

    private static Exposition Scrape(Action<ExpositionWriter> write)
    {
        using var buffer = new PooledBuffer();
        write(new ExpositionWriter(buffer));
        return new Exposition(Encoding.UTF8.GetString(buffer.WrittenSpan));
    }
}
