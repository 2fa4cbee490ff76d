namespace TinySwap.Observability.Metrics;

/// <summary>
/// The counters and histograms fed by observations (requests, swaps, loads, evictions), one <see cref="ModelSeries"/>
/// per configured model plus one for requests that named no known model. Models are added when a config names them
/// and kept after a reload drops them (their counters must not go backwards), so the series count is bounded by the
/// configs this process has loaded, never by what clients send.
/// </summary>
internal sealed class MetricsRegistry : IObservationSink
{
    /// <summary>The model label of requests that reached no configured model (unknown name, API routes, bad bodies).</summary>
    public const string NoModel = "(none)";

    private readonly ModelSeries _noModel = new(NoModel);
    private Dictionary<string, ModelSeries> _byId = new(StringComparer.Ordinal);
    private ModelSeries[] _all;

    public MetricsRegistry(IEnumerable<string> modelIds)
    {
        _all = [_noModel];
        AddModels(modelIds);
    }

    /// <summary>Adds series for models not seen before (a reload); existing ones keep counting.</summary>
    public void AddModels(IEnumerable<string> modelIds)
    {
        lock (_noModel)
        {
            var byId = new Dictionary<string, ModelSeries>(_byId, StringComparer.Ordinal);
            var all = new List<ModelSeries>(_all);
            foreach (var id in modelIds)
            {
                if (byId.ContainsKey(id))
                    continue;
                var series = new ModelSeries(id);
                byId[id] = series;
                all.Add(series);
            }
            Volatile.Write(ref _byId, byId);
            Volatile.Write(ref _all, [.. all]);
        }
    }

    /// <summary>Every series, the no-model one first.</summary>
    public ReadOnlySpan<ModelSeries> All => Volatile.Read(ref _all);

    public ModelSeries For(string? model) =>
        model is not null && Volatile.Read(ref _byId).TryGetValue(model, out var series) ? series : _noModel;

    public void RequestFinished(RequestTrace trace, int status, long bytes, long endTimestamp)
    {
        var series = For(trace.Model);
        series.CountRequest(trace.Route, status);
        series.Duration.Observe(RequestTrace.Seconds(trace.StartTimestamp, endTimestamp));
        if (trace.FirstByteTimestamp != 0)
            series.FirstByte.Observe(RequestTrace.Seconds(trace.StartTimestamp, trace.FirstByteTimestamp));
        if (trace.GateTimestamp != 0 && trace.GrantedTimestamp != 0)
            series.QueueWait.Observe(RequestTrace.Seconds(trace.GateTimestamp, trace.GrantedTimestamp));
        var usage = trace.Usage;
        if (usage.PromptTokens > 0)
            Interlocked.Add(ref series.PromptTokens, usage.PromptTokens);
        if (usage.GeneratedTokens > 0)
            Interlocked.Add(ref series.GeneratedTokens, usage.GeneratedTokens);
        if (TokensPerSecond(trace, endTimestamp) is > 0 and var speed)
            Volatile.Write(ref series.LastTokensPerSecondBits, BitConverter.DoubleToInt64Bits(speed));
    }

    /// <summary>
    /// The upstream's own figure when it gives one (llama-server's timings); otherwise generated tokens over the time
    /// from first byte to end, which leaves out prompt processing as the upstream's figure does.
    /// </summary>
    public static double TokensPerSecond(RequestTrace trace, long endTimestamp)
    {
        var usage = trace.Usage;
        if (usage.TokensPerSecond > 0)
            return usage.TokensPerSecond;
        var generating = RequestTrace.Seconds(trace.FirstByteTimestamp, endTimestamp);
        return usage.GeneratedTokens > 0 && generating > 0 ? usage.GeneratedTokens / generating : 0;
    }

    public void SwapStarted(string model, ReadOnlySpan<string> evicted) => Interlocked.Increment(ref For(model).Swaps);

    public void SwapFinished(string model, TimeSpan duration) => For(model).SwapDuration.Observe(duration.TotalSeconds);

    public void LoadFailed(string model, string reason) => Interlocked.Increment(ref For(model).LoadFailures);

    public void Evicted(string model, string reason)
    {
        var index = Array.IndexOf(EvictionReasons.All, reason);
        if (index >= 0)
            Interlocked.Increment(ref For(model).Evictions[index]);
    }
}
