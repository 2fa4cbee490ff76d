using System.Collections.Concurrent;
using TinySwap.Contracts;
using TinySwap.Observability;
using TinySwap.Observability.Metrics;

namespace TinySwap.Api;

/// <summary>
/// <c>GET /metrics</c>: the registry's counters and histograms, then gauges read at scrape time (model states, queues,
/// model process memory and CPU from /proc, tinyswap's own memory and connections). Label sets are prepared once per
/// model or hook, so a scrape allocates only its output buffer.
/// </summary>
internal sealed class MetricsEndpoint(MetricsRegistry registry, SupervisorMetrics supervisor, IModelStatusSource status, Func<int> openConnections, string version)
{
    private static readonly ModelState[] States = Enum.GetValues<ModelState>();
    private static readonly byte[][] StateLabels = Array.ConvertAll(States, state => ExpositionWriter.Label("state", ModelStateNames.Text(state)));
    private readonly ConcurrentDictionary<(string Model, string Hook), byte[]> _hookLabels = new();
    private readonly byte[] _versionLabel = ExpositionWriter.Label("version", version);

    public void Write(ExpositionWriter w)
    {
        RegistryExposition.Write(w, registry);
        var snapshot = status.Snapshot();
        WriteModelGauges(w, snapshot);
        WriteProcesses(w, snapshot);
        WriteHooks(w);
        WriteSelf(w);
    }

    private void WriteModelGauges(ExpositionWriter w, IReadOnlyList<ModelStatus> snapshot)
    {
        w.Family("tinyswap_models"u8, "gauge"u8, "Configured models by state."u8);
        Span<int> counts = stackalloc int[States.Length];
        for (var i = 0; i < snapshot.Count; i++)
            counts[(int)snapshot[i].State]++;
        for (var i = 0; i < States.Length; i++)
            w.Sample("tinyswap_models"u8, StateLabels[i], counts[i]);

        w.Family("tinyswap_queue_depth"u8, "gauge"u8, "Requests waiting for their model, by model."u8);
        for (var i = 0; i < snapshot.Count; i++)
            w.Sample("tinyswap_queue_depth"u8, registry.For(snapshot[i].Id).Label, snapshot[i].Queued);

        w.Family("tinyswap_requests_in_flight"u8, "gauge"u8, "Requests being served by their model, by model."u8);
        for (var i = 0; i < snapshot.Count; i++)
            w.Sample("tinyswap_requests_in_flight"u8, registry.For(snapshot[i].Id).Label, snapshot[i].InFlight);
    }

    private void WriteProcesses(ExpositionWriter w, IReadOnlyList<ModelStatus> snapshot)
    {
        Span<ProcessUsage> usage = snapshot.Count <= 64 ? stackalloc ProcessUsage[snapshot.Count] : new ProcessUsage[snapshot.Count];
        for (var i = 0; i < snapshot.Count; i++)
            usage[i] = snapshot[i].Pid is { } pid ? ProcessStats.Read(pid) : default;

        w.Family("tinyswap_model_resident_memory_bytes"u8, "gauge"u8, "Resident memory of each running model's process tree."u8);
        for (var i = 0; i < snapshot.Count; i++)
        {
            if (snapshot[i].Pid is not null)
                w.Sample("tinyswap_model_resident_memory_bytes"u8, registry.For(snapshot[i].Id).Label, usage[i].ResidentBytes);
        }
        w.Family("tinyswap_model_cpu_seconds_total"u8, "counter"u8, "CPU time (user and system) of each running model's process tree; restarts with the process."u8);
        for (var i = 0; i < snapshot.Count; i++)
        {
            if (snapshot[i].Pid is not null)
                w.Sample("tinyswap_model_cpu_seconds_total"u8, registry.For(snapshot[i].Id).Label, usage[i].CpuSeconds);
        }
    }

    private void WriteHooks(ExpositionWriter w)
    {
        w.Family("tinyswap_hook_runs_total"u8, "counter"u8, "Hook runs, by model and hook."u8);
        supervisor.VisitHooks((this, w), static (s, model, hook, stats) => s.w.Sample("tinyswap_hook_runs_total"u8, s.Item1.HookLabel(model, hook), stats.Count));
        w.Family("tinyswap_hook_failures_total"u8, "counter"u8, "Hook runs that failed, timed out or could not start, by model and hook."u8);
        supervisor.VisitHooks((this, w), static (s, model, hook, stats) => s.w.Sample("tinyswap_hook_failures_total"u8, s.Item1.HookLabel(model, hook), stats.Failures));
        w.Family("tinyswap_hook_duration_seconds_total"u8, "counter"u8, "Time spent running hooks, by model and hook."u8);
        supervisor.VisitHooks((this, w), static (s, model, hook, stats) => s.w.Sample("tinyswap_hook_duration_seconds_total"u8, s.Item1.HookLabel(model, hook), stats.TotalSeconds));
    }

    private byte[] HookLabel(string model, string hook) =>
        _hookLabels.GetOrAdd((model, hook), static key => ExpositionWriter.Labels("model", key.Model, "hook", key.Hook));

    private void WriteSelf(ExpositionWriter w)
    {
        w.Family("tinyswap_resident_memory_bytes"u8, "gauge"u8, "Resident memory of tinyswap itself (models not included)."u8);
        w.Sample("tinyswap_resident_memory_bytes"u8, default, ProcessStats.ResidentBytes(Environment.ProcessId));
        w.Family("tinyswap_gc_heap_bytes"u8, "gauge"u8, "Bytes in tinyswap's managed heap."u8);
        w.Sample("tinyswap_gc_heap_bytes"u8, default, GC.GetTotalMemory(forceFullCollection: false));
        w.Family("tinyswap_open_connections"u8, "gauge"u8, "Client connections open to tinyswap."u8);
        w.Sample("tinyswap_open_connections"u8, default, openConnections());
        w.Family("tinyswap_build_info"u8, "gauge"u8, "Always 1; the version label says which build runs."u8);
        w.Sample("tinyswap_build_info"u8, _versionLabel, 1L);
    }
}
