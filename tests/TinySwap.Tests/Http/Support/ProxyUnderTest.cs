using System.Collections.Concurrent;
using TinySwap.Http.Server;
using TinySwap.Http.Upstream;
using TinySwap.Proxy.Forwarding;

namespace TinySwap.Tests.Http.Support;

/// <summary>Our server whose handler forwards everything to one upstream through <see cref="HttpForwarder"/>.</summary>
internal sealed class ProxyUnderTest : IAsyncDisposable
{
    private readonly UpstreamClient _client;
    private readonly TestServer _server;

    public ProxyUnderTest(Uri upstream, Func<HttpExchange, ForwardRequest>? request = null, UpstreamClientOptions? options = null,
        TinySwap.Config.HttpLimits? limits = null, Func<HttpServerOptions, HttpServerOptions>? configure = null)
    {
        _client = new UpstreamClient(options);
        var pool = _client.GetPool(upstream);
        Pool = pool;
        var forwarder = new HttpForwarder(Log);
        _server = new TestServer(async exchange =>
        {
            // Some decisions read the request body synchronously (stand-ins for the glue, which awaits it); on the event
            // thread that would wait for bytes only that thread can read, so they run on the pool.
            var forward = request is null ? default : await Task.Run(() => request(exchange));
            var outcome = await forwarder.ForwardAsync(exchange, pool, forward);
            Outcomes.Enqueue(outcome);
        }, limits, configure);
    }

    public RecordingLogger Log { get; } = new();
    public UpstreamPool Pool { get; }
    public UpstreamClient Client => _client;
    public ConcurrentQueue<ForwardOutcome> Outcomes { get; } = new();

    public RawClient Connect() => _server.Connect();

    /// <summary>Stops the server (what tinyswap does on SIGTERM) without disposing the upstream client.</summary>
    public Task StopServerAsync() => _server.Server.StopAsync();

    public int Port => _server.Port;

    public async Task<ForwardOutcome> NextOutcomeAsync()
    {
        var deadline = DateTime.UtcNow + RawClient.Patience;
        while (DateTime.UtcNow < deadline)
        {
            if (Outcomes.TryDequeue(out var outcome))
                return outcome;
            await Task.Delay(10);
        }
        throw new TimeoutException("no forward outcome");
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        await _client.DisposeAsync();
    }
}
