using TinySwap.Http.Upstream;

namespace TinySwap.Supervisor;

/// <summary>Readiness probes through the upstream client the proxy itself uses (one HTTP implementation, one set of rules).</summary>
internal sealed class UpstreamHealthProbe(UpstreamClient client, TimeSpan timeout) : IHealthProbe
{
    /// <summary>For supervisors built without one (tests, tools): a client of its own, made on first use.</summary>
    public static UpstreamHealthProbe Default { get; } = new(new UpstreamClient(), TimeSpan.FromSeconds(5));

    public async Task<HealthProbeResult> ProbeAsync(Uri url, CancellationToken cancel)
    {
        var result = await client.GetAsync(url, timeout, cancel);
        return result.StatusCode == 0 ? new(null, result.Error) : new(result.StatusCode, null);
    }

    public async Task<HealthProbeResult> PostJsonAsync(Uri url, byte[] json, TimeSpan timeout, CancellationToken cancel)
    {
        var result = await client.PostJsonAsync(url, json, timeout, cancel);
        return result.StatusCode == 0 ? new(null, result.Error) : new(result.StatusCode, null);
    }
}
