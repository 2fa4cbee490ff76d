namespace TinySwap.Supervisor;

/// <summary>One readiness probe of a model's server: GET the URL, healthy on 200.</summary>
internal interface IHealthProbe
{
    Task<HealthProbeResult> ProbeAsync(Uri url, CancellationToken cancel);

    /// <summary>POST a small JSON body to the model's server (llama-server slot save/restore); 2xx is success.</summary>
    Task<HealthProbeResult> PostJsonAsync(Uri url, byte[] json, TimeSpan timeout, CancellationToken cancel) =>
        Task.FromResult(new HealthProbeResult(null, "this probe cannot POST"));
}

/// <summary>Status code of the answer, or why there was none (connection refused, timeout...).</summary>
internal readonly record struct HealthProbeResult(int? StatusCode, string? Error)
{
    public bool IsHealthy => StatusCode == 200;

    public override string ToString() => StatusCode is { } code ? $"HTTP {code}" : Error ?? "no answer";
}
