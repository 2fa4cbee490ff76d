using TinySwap.Config;
using TinySwap.Http.Server;

namespace TinySwap.Tests.Http.Support;

/// <summary>An <see cref="HttpServer"/> on 127.0.0.1 with an ephemeral port and test-sized timeouts.</summary>
internal sealed class TestServer : IAsyncDisposable
{
    private readonly HttpServer _server;

    public TestServer(IHttpHandler handler, HttpLimits? limits = null, Func<HttpServerOptions, HttpServerOptions>? configure = null)
    {
        var options = new HttpServerOptions
        {
            Listen = ["127.0.0.1:0"],
            Limits = limits ?? new HttpLimits(),
            HeartbeatInterval = TimeSpan.FromMilliseconds(50),
            LingerTimeout = TimeSpan.FromMilliseconds(500),
            ShutdownTimeout = TimeSpan.FromSeconds(2),
        };
        if (configure is not null)
            options = configure(options);
        _server = new HttpServer(options, handler, Log);
        _server.Start();
        Port = _server.EndPoints[0].Port;
    }

    public TestServer(Func<HttpExchange, ValueTask> handler, HttpLimits? limits = null, Func<HttpServerOptions, HttpServerOptions>? configure = null)
        : this(new DelegateHandler(handler), limits, configure)
    {
    }

    public RecordingLogger Log { get; } = new();
    public int Port { get; }
    public HttpServer Server => _server;

    public RawClient Connect() => RawClient.Connect(Port);

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}

/// <summary>A handler from a lambda.</summary>
internal sealed class DelegateHandler(Func<HttpExchange, ValueTask> handle) : IHttpHandler
{
    public ValueTask HandleAsync(HttpExchange exchange) => handle(exchange);
}
