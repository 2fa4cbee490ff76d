namespace TinySwap.Http.Upstream;

/// <summary>
/// Settings of one upstream that differ from the client's <see cref="UpstreamClientOptions"/> (a peer's own timeouts and
/// trusted CAs). A value, so equal settings for one address share one pool; null fields keep the client's option.
/// <see cref="TimeSpan.Zero"/> means no limit, as in llama-swap's peer timeouts.
/// </summary>
internal sealed record UpstreamEndpoint
{
    public TimeSpan? ConnectTimeout { get; init; }
    public TimeSpan? IdleTimeout { get; init; }
    public TimeSpan? TlsHandshakeTimeout { get; init; }

    /// <summary>TCP keep-alive probe interval on the connection; null leaves the kernel's default (off).</summary>
    public TimeSpan? TcpKeepAlive { get; init; }

    /// <summary>PEM file of the CAs to trust for https:// instead of the system's roots; null: the system's.</summary>
    public string? CaFile { get; init; }

    /// <summary>The client's options with these settings applied.</summary>
    public UpstreamClientOptions ApplyTo(UpstreamClientOptions options) => options with
    {
        ConnectTimeout = Limit(ConnectTimeout) ?? options.ConnectTimeout,
        IdleTimeout = Limit(IdleTimeout) ?? options.IdleTimeout,
        TlsHandshakeTimeout = Limit(TlsHandshakeTimeout) ?? options.TlsHandshakeTimeout,
    };

    private static TimeSpan? Limit(TimeSpan? value) => value == TimeSpan.Zero ? Timeout.InfiniteTimeSpan : value;
}
