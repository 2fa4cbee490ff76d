namespace TinySwap.Observability.Metrics;

/// <summary>Writes the registry's families: each family's samples together, as the exposition format requires.</summary>
internal static class RegistryExposition
{
    public static void Write(ExpositionWriter w, MetricsRegistry registry)
    {
        var all = registry.All;

        w.Family("tinyswap_requests_total"u8, "counter"u8, "Requests answered, by model, route and status code (class when uncommon; aborted when cut off)."u8);
        foreach (var series in all)
        {
            foreach (var counter in series.Requests)
                WriteRequestCount(w, counter);
        }

        w.Family("tinyswap_request_duration_seconds"u8, "histogram"u8, "Time from request head to the end of the response, by model."u8);
        foreach (var series in all)
            w.Histogram("tinyswap_request_duration_seconds"u8, series.Label, series.Duration);

        w.Family("tinyswap_time_to_first_byte_seconds"u8, "histogram"u8, "Time from request head to the upstream's first response body byte, by model."u8);
        foreach (var series in all)
            w.Histogram("tinyswap_time_to_first_byte_seconds"u8, series.Label, series.FirstByte);

        w.Family("tinyswap_queue_wait_seconds"u8, "histogram"u8, "Time a request waited for its model (load, swap, or queue), by model."u8);
        foreach (var series in all)
            w.Histogram("tinyswap_queue_wait_seconds"u8, series.Label, series.QueueWait);

        w.Family("tinyswap_prompt_tokens_total"u8, "counter"u8, "Prompt tokens the upstreams reported (usage or timings), by model."u8);
        foreach (var series in all)
            w.Sample("tinyswap_prompt_tokens_total"u8, series.Label, Volatile.Read(ref series.PromptTokens));

        w.Family("tinyswap_generated_tokens_total"u8, "counter"u8, "Generated tokens the upstreams reported (usage or timings), by model."u8);
        foreach (var series in all)
            w.Sample("tinyswap_generated_tokens_total"u8, series.Label, Volatile.Read(ref series.GeneratedTokens));

        w.Family("tinyswap_generation_tokens_per_second"u8, "gauge"u8, "Generation speed of the last answer that reported tokens, by model."u8);
        foreach (var series in all)
            w.Sample("tinyswap_generation_tokens_per_second"u8, series.Label, BitConverter.Int64BitsToDouble(Volatile.Read(ref series.LastTokensPerSecondBits)));

        w.Family("tinyswap_swaps_total"u8, "counter"u8, "Swaps begun to bring a model up, by the model brought up."u8);
        foreach (var series in Models(all))
            w.Sample("tinyswap_swaps_total"u8, series.Label, Volatile.Read(ref series.Swaps));

        w.Family("tinyswap_swap_duration_seconds"u8, "histogram"u8, "Time from a swap's start to its model being ready, by model."u8);
        foreach (var series in Models(all))
            w.Histogram("tinyswap_swap_duration_seconds"u8, series.Label, series.SwapDuration);

        w.Family("tinyswap_load_failures_total"u8, "counter"u8, "Starts that failed (exit, or no health in time), by model."u8);
        foreach (var series in Models(all))
            w.Sample("tinyswap_load_failures_total"u8, series.Label, Volatile.Read(ref series.LoadFailures));

        w.Family("tinyswap_evictions_total"u8, "counter"u8, "Models stopped or put to sleep, by model and reason."u8);
        foreach (var series in Models(all))
        {
            for (var i = 0; i < series.Evictions.Length; i++)
                w.Sample("tinyswap_evictions_total"u8, series.Label, series.EvictionLabels[i], Volatile.Read(ref series.Evictions[i]));
        }
    }

    // The no-model series has no swaps or loads: it is left out of those families instead of showing zeros forever.
    private static ReadOnlySpan<ModelSeries> Models(ReadOnlySpan<ModelSeries> all) => all[1..];

    private static void WriteRequestCount(ExpositionWriter w, RequestCounter counter) =>
        w.Sample("tinyswap_requests_total"u8, counter.Labels, StatusCodeLabel.Values[counter.StatusSlot], Volatile.Read(ref counter.Count));
}
