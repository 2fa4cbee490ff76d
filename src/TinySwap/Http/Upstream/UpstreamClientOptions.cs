namespace TinySwap.Http.Upstream;

/// <summary>Timeouts, pool sizes and parser limits for talking to upstreams.</summary>
internal sealed record UpstreamClientOptions
{
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Longest TLS handshake with an https:// upstream, after the TCP connection is up.</summary>
    public TimeSpan TlsHandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// An idle pooled connection is closed after this long. Below llama-server's own keep-alive (cpp-httplib closes
    /// idle connections after 5 s), so we drop a connection before the upstream can close it under a request.
    /// <see cref="Timeout.InfiniteTimeSpan"/> keeps idle connections until the upstream closes them.
    /// </summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(4);

    public int MaxIdlePerUpstream { get; init; } = 32;
    public int MaxStatusLineBytes { get; init; } = 8 * 1024;
    public int MaxHeaderBytes { get; init; } = 64 * 1024;
    public int MaxHeaderCount { get; init; } = 200;
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(1);
}
