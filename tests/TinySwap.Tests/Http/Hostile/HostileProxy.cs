using System.Collections.Concurrent;
using System.Text;
using TinySwap.Tests.Http.Support;
using TinySwap.Tests.Support;

namespace TinySwap.Tests.Http.Hostile;

/// <summary>
/// dist/tinyswap with one model, <c>m</c>, whose process is a plain <c>sleep</c> and whose proxy address is a
/// <see cref="ScriptedUpstream"/> in this test process: every request that reaches "the model" is recorded, so a
/// hostile-client test can assert what got through, not only what the client was told.
/// </summary>
public sealed class HostileProxy : IAsyncLifetime
{
    private ScriptedUpstream? _upstream;
    private TinySwapServer? _server;

    /// <summary>Method and target of every request the model received, health probes excluded, in arrival order.</summary>
    public ConcurrentQueue<string> Seen { get; } = new();

    internal TinySwapServer Server => _server ?? throw new InvalidOperationException("not started");
    public int Port => Server.Port;

    public async Task InitializeAsync()
    {
        // The supervisor refuses to start a model whose port is already taken (an orphan could answer for it), so
        // the scripted "model" starts listening only once tinyswap has started the model's process.
        var port = FreePort.Next();
        // Short body-rate grace so "a huge Content-Length and no body" ends in a second, not in five.
        var config = $"""
            limits:
              minBodyRateGrace: 1
            models:
              m:
                cmd: sleep 3600
                proxy: http://127.0.0.1:{port}
            """;
        _server = await TinySwapServer.StartAsync(config);
        var load = RawHttp.SendAsync(Port, "POST", "/api/models/load/m");
        await _server.WaitForLogAsync("[m] started pid");
        _upstream = new ScriptedUpstream(async peer =>
        {
            while (await peer.ReadRequestAsync() is { } request)
            {
                if (request.Target != "/health")
                    Seen.Enqueue($"{request.Method} {request.Target}");
                await peer.SendAsync("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}");
            }
        }, port);
        var loaded = await load;
        Assert.True(loaded.Status == 200, loaded.BodyText);
    }

    /// <summary>
    /// Sends <paramref name="raw"/> on a fresh connection and reads until the server closes: the first response, and
    /// whatever bytes followed it (a second response there means a pipelined request was executed).
    /// </summary>
    internal async Task<(RawResponse Response, byte[] After)> ExchangeAsync(string raw)
    {
        using var client = RawClient.Connect(Port);
        await client.SendAsync(Encoding.Latin1.GetBytes(raw));
        var response = await client.ReadResponseAsync();
        return (response, await client.ReadToEndAsync());
    }

    /// <summary>What the model saw while <paramref name="act"/> ran (tests in one class run one at a time).</summary>
    internal async Task<List<string>> SeenDuringAsync(Func<Task> act)
    {
        Seen.Clear();
        await act();
        return [.. Seen];
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
            await _server.DisposeAsync();
        if (_upstream is not null)
            await _upstream.DisposeAsync();
    }
}
