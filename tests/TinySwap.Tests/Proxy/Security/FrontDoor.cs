using System.Collections.Concurrent;
using TinySwap.Api;
using TinySwap.Config;
using TinySwap.Contracts;
using TinySwap.Http.Upstream;
using TinySwap.Proxy;
using TinySwap.Proxy.Forwarding;
using TinySwap.Tests.Api;
using TinySwap.Tests.Http.Support;

namespace TinySwap.Tests.Proxy.Security;

/// <summary>
/// tinyswap's real front door (<see cref="ProxyHandler"/>) in process, over a scripted upstream that records every
/// request it receives and answers 200 (with <c>Access-Control-Allow-Origin: *</c>, as llama-server does). Models are
/// granted at once (<see cref="StaticModelGate"/>); load/unload calls are recorded, not executed.
/// </summary>
internal sealed class FrontDoor : IAsyncDisposable
{
    private readonly ScriptedUpstream _upstream;
    private readonly UpstreamClient _client = new();
    private readonly TestServer _server;

    /// <param name="upstream">The model server's script instead of the recording 200 one.</param>
    public FrontDoor(Func<TinySwapConfig, TinySwapConfig>? configure = null, Func<ModelConfig, ModelConfig>? model = null,
        Func<UpstreamPeer, Task>? upstream = null)
    {
        _upstream = new ScriptedUpstream(upstream ?? (async peer =>
        {
            while (await peer.ReadRequestAsync() is { } request)
            {
                Received.Enqueue(request);
                await peer.SendAsync("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nAccess-Control-Allow-Origin: *\r\nContent-Length: 11\r\n\r\n{\"ok\":true}");
            }
        }));
        var a = TestModels.Model("a") with { Proxy = _upstream.Address };
        var config = TestModels.Config(model?.Invoke(a) ?? a) with { Listen = ["127.0.0.1:8080"] };
        config = configure?.Invoke(config) ?? config;
        var gate = Gate = new StaticModelGate(config);
        var api = new ApiHandler(new FakeStatusSource(), Control, TimeProvider.System);
        var handler = new ProxyHandler(new ProxyCatalog(config), gate, api, _client, new HttpForwarder(Log), new ConcurrencyLimiter(), Log);
        _server = new TestServer(handler, config.Limits);
    }

    public RecordingLogger Log { get; } = new();

    /// <summary>Grants every model at once; tests mark models stopped on it.</summary>
    public StaticModelGate Gate { get; }

    public int Port => _server.Port;

    public RecordingControl Control { get; } = new();

    /// <summary>Requests the model's server received, in order.</summary>
    public ConcurrentQueue<UpstreamRequest> Received { get; } = new();

    public RawClient Connect() => _server.Connect();

    /// <summary>Sends one request (head lines given as "Name: value") and reads the response on a fresh connection.</summary>
    public async Task<RawResponse> SendAsync(string method, string target, string host, string body = "", params string[] headers)
    {
        using var client = _server.Connect();
        var head = $"{method} {target} HTTP/1.1\r\nHost: {host}\r\n" + string.Concat(headers.Select(h => h + "\r\n"));
        if (body.Length > 0 || method is "POST" or "PUT")
            head += $"Content-Length: {System.Text.Encoding.UTF8.GetByteCount(body)}\r\n";
        await client.SendAsync(head + "Connection: close\r\n\r\n" + body);
        return await client.ReadResponseAsync(headRequest: method == "HEAD");
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        await _client.DisposeAsync();
        await _upstream.DisposeAsync();
    }
}

/// <summary>Load/unload calls as the API made them.</summary>
internal sealed class RecordingControl : IModelControl
{
    public ConcurrentQueue<string> Calls { get; } = new();

    public Task<GateRefusal?> LoadAsync(string modelId)
    {
        Calls.Enqueue("load " + modelId);
        return Task.FromResult<GateRefusal?>(null);
    }

    public Task<bool> UnloadAsync(string modelId)
    {
        Calls.Enqueue("unload " + modelId);
        return Task.FromResult(true);
    }

    public Task UnloadAllAsync()
    {
        Calls.Enqueue("unload all");
        return Task.CompletedTask;
    }
}
