namespace TinySwap.Supervisor;

/// <summary>One readiness probe of a model's server: GET the URL, healthy on 200.</summary>
internal interface IHealthProbe
{
    Task<HealthProbeResult> ProbeAsync(Uri url, CancellationToken cancel);
}

/// <summary>Status code of the answer, or why there was none (connection refused, timeout...).</summary>
internal readonly record struct HealthProbeResult(int? StatusCode, string? Error)
{
    public bool IsHealthy => StatusCode == 200;

    public override string ToString() => StatusCode is { } code ? $"HTTP {code}" : Error ?? "no answer";
}
